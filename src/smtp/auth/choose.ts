import { SmtpAuthError } from '../errors.js';
import { CramMd5Mechanism } from './cram-md5.js';
import { LoginMechanism } from './login.js';
import type { Credentials, SaslMechanism } from './mechanism.js';
import { PlainMechanism } from './plain.js';
import { ScramSha256Mechanism } from './scram-sha-256.js';
import { Xoauth2Mechanism } from './xoauth2.js';

/** Every mechanism this client implements. */
export const AUTH_MECHANISM_NAMES = [
  'PLAIN',
  'LOGIN',
  'CRAM-MD5',
  'XOAUTH2',
  'SCRAM-SHA-256',
] as const;

export type AuthMechanismName = (typeof AUTH_MECHANISM_NAMES)[number];

/**
 * What `auto` tries, strongest first. SCRAM proves both sides without revealing the password;
 * CRAM-MD5 hides the password but on MD5; PLAIN and LOGIN send it as it is (TLS only). XOAUTH2 is
 * left out: its secret is a token, not a password, so it is used only when asked for.
 */
const AUTO_ORDER: readonly AuthMechanismName[] = ['SCRAM-SHA-256', 'CRAM-MD5', 'PLAIN', 'LOGIN'];

export function isAuthMechanismName(name: string): name is AuthMechanismName {
  return (AUTH_MECHANISM_NAMES as readonly string[]).includes(name);
}

/** A fresh mechanism for one exchange. Throws SmtpInputError if the credentials cannot be sent. */
export function createMechanism(name: AuthMechanismName, credentials: Credentials): SaslMechanism {
  switch (name) {
    case 'PLAIN':
      return new PlainMechanism(credentials);
    case 'LOGIN':
      return new LoginMechanism(credentials);
    case 'CRAM-MD5':
      return new CramMd5Mechanism(credentials);
    case 'XOAUTH2':
      return new Xoauth2Mechanism(credentials);
    case 'SCRAM-SHA-256':
      return new ScramSha256Mechanism(credentials);
  }
}

function describeOffered(offered: readonly string[]): string {
  return offered.length === 0 ? 'none' : offered.join(', ');
}

/**
 * Picks the mechanism to use from those the server lists after `AUTH` in its EHLO reply
 * (RFC 4954 3). Names are compared case-insensitively, as SASL names are (RFC 4422 3.1).
 */
export function chooseMechanism(
  offered: readonly string[],
  preferred: AuthMechanismName | 'auto',
): AuthMechanismName {
  const names = new Set(offered.map((name) => name.toUpperCase()));
  if (preferred !== 'auto') {
    if (names.has(preferred)) return preferred;
    throw new SmtpAuthError(
      `The server does not offer the ${preferred} authentication mechanism; it offers: ${describeOffered(offered)}. Set the mechanism to one of those, or to auto.`,
      { phase: 'auth' },
    );
  }
  const chosen = AUTO_ORDER.find((name) => names.has(name));
  if (chosen !== undefined) return chosen;
  throw new SmtpAuthError(
    `The server offers no authentication mechanism this client supports (it offers: ${describeOffered(offered)}; supported: ${AUTO_ORDER.join(', ')}, and XOAUTH2 when set explicitly).`,
    { phase: 'auth' },
  );
}

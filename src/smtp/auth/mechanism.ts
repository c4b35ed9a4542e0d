import { SmtpAuthError } from '../errors.js';

/**
 * What the client knows to prove who it is. A plain interface on purpose: no method of this
 * folder ever formats it into a message, and mechanisms keep it in `#private` fields, which
 * neither `JSON.stringify` nor `util.inspect` reveal.
 */
export interface Credentials {
  username: string;
  /** The password; for XOAUTH2, the OAuth 2.0 access token. */
  password: string;
}

/**
 * One SASL mechanism (RFC 4422) as the SMTP AUTH exchange (RFC 4954) drives it. Methods work on
 * raw bytes; the exchange does the base64 framing. A mechanism holds the state of one exchange
 * and is not reused.
 */
export interface SaslMechanism {
  /** The registered name, as sent after `AUTH` (e.g. `PLAIN`). */
  readonly name: string;
  /** Bytes to send with the AUTH command itself (RFC 4954 4); `undefined` for none. */
  initialResponse(): Uint8Array | undefined;
  /** The answer to one 334 challenge. Throws SmtpAuthError to cancel the exchange. */
  respond(challenge: Uint8Array): Uint8Array;
  /**
   * Called once the server said 235, with the "additional data with success" if the server sent
   * it after the code. Throws SmtpAuthError when the server failed to prove itself (SCRAM).
   */
  verifySuccess?(additionalData: Uint8Array | undefined): void;
  /**
   * What the server told the mechanism about a failure, in words safe to show (e.g. the XOAUTH2
   * error status). Never contains a secret.
   */
  describeFailure?(): string | undefined;
}

/** The error every mechanism throws to stop an exchange; the exchange sends `*` before it. */
export function createAuthError(mechanism: string, message: string): SmtpAuthError {
  return new SmtpAuthError(message, { phase: 'auth', command: `AUTH ${mechanism}` });
}

/**
 * Text the server sent, made safe to quote in a message: printable ASCII only (a log line must
 * not carry control characters, CVE-2020-15228) and short.
 */
export function quoteServerText(text: string, limit = 120): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > limit ? `${printable.slice(0, limit)}...` : printable;
}

export function encodeUtf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

export function decodeUtf8(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

import { SmtpInputError } from '../errors.js';
import { createAuthError, encodeUtf8, type Credentials, type SaslMechanism } from './mechanism.js';

/**
 * PLAIN (RFC 4616): the whole proof in one message, `authzid NUL authcid NUL passwd`. The
 * password crosses the wire as it is, so the connection layer must only offer it inside TLS.
 */
export class PlainMechanism implements SaslMechanism {
  readonly name = 'PLAIN';
  readonly #message: Uint8Array;

  constructor(credentials: Credentials) {
    // RFC 4616 2: authcid and passwd are UTF8SAFE, which excludes NUL, the field separator.
    if (credentials.username.includes('\0') || credentials.password.includes('\0')) {
      throw new SmtpInputError(
        'The SMTP username or password contains a NUL character, which PLAIN (RFC 4616) cannot carry; remove it.',
      );
    }
    // The authzid is left empty: the identity to act as is the one that authenticates.
    this.#message = encodeUtf8(`\0${credentials.username}\0${credentials.password}`);
  }

  initialResponse(): Uint8Array {
    return this.#message;
  }

  respond(_challenge: Uint8Array): Uint8Array {
    // RFC 4616 has a single client message, already sent as the initial response; a server
    // asking for more is not speaking PLAIN, and sending the password again would not help.
    throw createAuthError(
      this.name,
      'The server sent a challenge after the PLAIN initial response; PLAIN has no second step, so authentication was cancelled.',
    );
  }
}

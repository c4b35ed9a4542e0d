import { createHmac } from 'node:crypto';
import { createAuthError, encodeUtf8, type Credentials, type SaslMechanism } from './mechanism.js';

/**
 * CRAM-MD5 (RFC 2195): the answer to the server's challenge is `username SP hex(HMAC-MD5(password,
 * challenge))`, so the password itself never crosses the wire. MD5 is weak and the server must
 * store the password in the clear; it ranks below SCRAM for that reason.
 */
export class CramMd5Mechanism implements SaslMechanism {
  readonly name = 'CRAM-MD5';
  readonly #credentials: Credentials;
  #answered = false;

  constructor(credentials: Credentials) {
    this.#credentials = { ...credentials };
  }

  initialResponse(): undefined {
    // RFC 2195 2: the exchange starts with the server's challenge.
    return undefined;
  }

  respond(challenge: Uint8Array): Uint8Array {
    if (this.#answered) {
      throw createAuthError(
        this.name,
        'The server sent a second CRAM-MD5 challenge; RFC 2195 has one, so authentication was cancelled.',
      );
    }
    this.#answered = true;
    // RFC 2195 2: the digest is sent as 32 lowercase hexadecimal digits.
    const digest = createHmac('md5', this.#credentials.password).update(challenge).digest('hex');
    return encodeUtf8(`${this.#credentials.username} ${digest}`);
  }
}

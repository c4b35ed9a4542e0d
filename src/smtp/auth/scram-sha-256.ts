import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { SmtpInputError } from '../errors.js';
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import {
  createAuthError,
  decodeUtf8,
  encodeUtf8,
  quoteServerText,
  type Credentials,
  type SaslMechanism,
} from './mechanism.js';
import { prepareSaslString } from './saslprep.js';

/** RFC 7677 4 requires at least 4096; a server asking for more than this is a DoS, not security. */
export const SCRAM_MIN_ITERATIONS = 4096;
export const SCRAM_MAX_ITERATIONS = 1_000_000;

export interface ScramOptions {
  /** Makes the client nonce; tests inject the RFC 7677 example's. Default: 18 random bytes. */
  createNonce?: () => string;
}

// RFC 5802 7: the gs2-header for a client without channel binding and with no authzid.
const GS2_HEADER = 'n,,';

/** RFC 5802 5.1: `=` and `,` in a saslname are written `=3D` and `=2C`. */
function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function hmac(key: Uint8Array, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function prepare(value: string, what: string): string {
  const prepared = prepareSaslString(value);
  if (prepared === undefined) {
    throw new SmtpInputError(
      `The SMTP ${what} contains a character SASLprep (RFC 4013) prohibits (a control, private-use or non-character code point); SCRAM-SHA-256 cannot use it. Remove it or choose another mechanism.`,
    );
  }
  return prepared;
}

/** Splits `a=1,b=2` into its attributes (RFC 5802 7); values may contain `=`. */
function parseAttributes(message: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of message.split(',')) {
    const match = /^([a-zA-Z])=(.*)$/s.exec(part);
    if (match?.[1] !== undefined && match[2] !== undefined && !attributes.has(match[1])) {
      attributes.set(match[1], match[2]);
    }
  }
  return attributes;
}

/** What the client must check in server-final once it has sent client-final. */
interface PendingProof {
  serverSignature: Buffer;
}

/**
 * SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash): a salted challenge-response in which the
 * password never crosses the wire and the server proves in turn that it knows it. That second
 * proof is the point of SCRAM: this client refuses success until the server signature checks.
 */
export class ScramSha256Mechanism implements SaslMechanism {
  readonly name = 'SCRAM-SHA-256';
  readonly #username: string;
  readonly #password: string;
  readonly #createNonce: () => string;
  #clientFirstBare: string | undefined;
  #clientNonce = '';
  #pending: PendingProof | undefined;
  #verified = false;

  constructor(credentials: Credentials, options: ScramOptions = {}) {
    this.#username = prepare(credentials.username, 'username');
    this.#password = prepare(credentials.password, 'password');
    this.#createNonce = options.createNonce ?? (() => randomBytes(18).toString('base64'));
  }

  initialResponse(): Uint8Array {
    this.#clientNonce = this.#createNonce();
    // RFC 5802 7: the nonce is printable ASCII other than ','.
    if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(this.#clientNonce)) {
      throw createAuthError(
        this.name,
        'The SCRAM client nonce must be printable ASCII without ",".',
      );
    }
    this.#clientFirstBare = `n=${escapeSaslName(this.#username)},r=${this.#clientNonce}`;
    return encodeUtf8(GS2_HEADER + this.#clientFirstBare);
  }

  respond(challenge: Uint8Array): Uint8Array {
    const message = decodeUtf8(challenge);
    if (this.#pending === undefined && this.#clientFirstBare !== undefined) {
      return encodeUtf8(this.#answerServerFirst(message, this.#clientFirstBare));
    }
    if (this.#pending !== undefined && !this.#verified) {
      this.#checkServerFinal(message, this.#pending);
      // RFC 4954 4: additional data with success, sent as a challenge, is answered empty.
      return new Uint8Array(0);
    }
    throw createAuthError(this.name, 'The server sent an unexpected SCRAM-SHA-256 challenge.');
  }

  verifySuccess(additionalData: Uint8Array | undefined): void {
    if (this.#verified) return;
    if (this.#pending !== undefined && additionalData !== undefined) {
      this.#checkServerFinal(decodeUtf8(additionalData), this.#pending);
      return;
    }
    throw createAuthError(
      this.name,
      'The server accepted SCRAM-SHA-256 authentication without proving it knows the password (no server signature); the connection is not trusted. Check that this is the right server.',
    );
  }

  /** RFC 5802 3 and 5.1: checks server-first and builds client-final with the client proof. */
  #answerServerFirst(serverFirst: string, clientFirstBare: string): string {
    if (serverFirst.startsWith('m=')) {
      throw createAuthError(this.name, 'The server requires a SCRAM extension this client lacks.');
    }
    const attributes = parseAttributes(serverFirst);
    const nonce = attributes.get('r') ?? '';
    const salt = decodeBase64Strict(attributes.get('s') ?? '');
    const iterations = Number(attributes.get('i'));
    // The combined nonce must extend ours, or a replayed server-first could be answered.
    if (!nonce.startsWith(this.#clientNonce) || nonce.length === this.#clientNonce.length) {
      throw createAuthError(this.name, 'The SCRAM server nonce does not extend the client nonce.');
    }
    if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(nonce) || salt === undefined || salt.length === 0) {
      throw createAuthError(this.name, 'The SCRAM server-first message is malformed.');
    }
    if (!/^\d+$/.test(attributes.get('i') ?? '') || iterations < SCRAM_MIN_ITERATIONS) {
      throw createAuthError(
        this.name,
        `The server asked for a SCRAM iteration count below ${SCRAM_MIN_ITERATIONS} (RFC 7677 4).`,
      );
    }
    if (iterations > SCRAM_MAX_ITERATIONS) {
      throw createAuthError(
        this.name,
        `The server asked for more than ${SCRAM_MAX_ITERATIONS} SCRAM iterations; refused as a denial of service.`,
      );
    }
    const withoutProof = `c=${encodeBase64(encodeUtf8(GS2_HEADER))},r=${nonce}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const salted = pbkdf2Sync(this.#password, salt, iterations, 32, 'sha256');
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const clientSignature = hmac(storedKey, authMessage);
    const proof = clientKey.map((byte, index) => byte ^ (clientSignature[index] ?? 0));
    this.#pending = { serverSignature: hmac(hmac(salted, 'Server Key'), authMessage) };
    return `${withoutProof},p=${encodeBase64(proof)}`;
  }

  /** RFC 5802 3: the client authenticates the server by checking its signature `v=`. */
  #checkServerFinal(serverFinal: string, pending: PendingProof): void {
    const attributes = parseAttributes(serverFinal);
    const error = attributes.get('e');
    if (error !== undefined) {
      throw createAuthError(
        this.name,
        `The server rejected SCRAM-SHA-256 authentication: ${quoteServerText(error)}.`,
      );
    }
    const signature = decodeBase64Strict(attributes.get('v') ?? '');
    const expected = pending.serverSignature;
    if (
      signature === undefined ||
      signature.length !== expected.length ||
      !timingSafeEqual(signature, expected)
    ) {
      throw createAuthError(
        this.name,
        'The SCRAM-SHA-256 server signature is wrong: the server does not know the password, so it may be an impostor. The connection is not trusted.',
      );
    }
    this.#verified = true;
  }
}

import { SmtpInputError } from '../errors.js';
import {
  createAuthError,
  decodeUtf8,
  encodeUtf8,
  quoteServerText,
  type Credentials,
  type SaslMechanism,
} from './mechanism.js';

/** The fields of the JSON error a server sends as an XOAUTH2 challenge, already quoted safely. */
interface Xoauth2Failure {
  status?: string;
  schemes?: string;
  scope?: string;
}

function readField(json: Record<string, unknown>, key: string): string | undefined {
  const value = json[key];
  return typeof value === 'string' || typeof value === 'number'
    ? quoteServerText(String(value), 200)
    : undefined;
}

function parseFailure(challenge: Uint8Array): Xoauth2Failure | undefined {
  try {
    const json: unknown = JSON.parse(decodeUtf8(challenge));
    if (typeof json !== 'object' || json === null) return undefined;
    const record = json as Record<string, unknown>;
    return {
      status: readField(record, 'status'),
      schemes: readField(record, 'schemes'),
      scope: readField(record, 'scope'),
    };
  } catch {
    return undefined;
  }
}

/**
 * XOAUTH2 (Google's and Microsoft's SASL profile for OAuth 2.0 bearer tokens): the initial
 * response `user=<u>^Aauth=Bearer <token>^A^A`. On failure the server answers with a 334 whose
 * payload is a JSON error; the client must send an empty response to get the final reply, and
 * the JSON's status is the only hint why (expired token, wrong scope).
 */
export class Xoauth2Mechanism implements SaslMechanism {
  readonly name = 'XOAUTH2';
  readonly #message: Uint8Array;
  #failure: Xoauth2Failure | undefined;
  #challenged = false;

  constructor(credentials: Credentials) {
    // ^A separates the fields; one inside a value would let it forge another field.
    if (credentials.username.includes('\x01') || credentials.password.includes('\x01')) {
      throw new SmtpInputError(
        'The SMTP username or access token contains a \\x01 character, which XOAUTH2 uses as a separator; remove it.',
      );
    }
    this.#message = encodeUtf8(
      `user=${credentials.username}\x01auth=Bearer ${credentials.password}\x01\x01`,
    );
  }

  initialResponse(): Uint8Array {
    return this.#message;
  }

  respond(challenge: Uint8Array): Uint8Array {
    if (this.#challenged) {
      throw createAuthError(
        this.name,
        'The server sent a second XOAUTH2 challenge; authentication was cancelled.',
      );
    }
    this.#challenged = true;
    this.#failure = parseFailure(challenge) ?? {};
    // The empty response acknowledges the error; the server then sends its final failure reply.
    return new Uint8Array(0);
  }

  describeFailure(): string | undefined {
    if (this.#failure === undefined) return undefined;
    const { status, schemes, scope } = this.#failure;
    const parts = [
      `XOAUTH2 status ${status ?? 'unknown'}`,
      schemes === undefined ? undefined : `schemes ${schemes}`,
      scope === undefined ? undefined : `scope ${scope}`,
    ];
    const hint =
      status === '401' || status === '400'
        ? '; the access token is invalid or expired, or lacks the scope: get a fresh token'
        : '';
    return `${parts.filter((part) => part !== undefined).join(', ')}${hint}`;
  }
}

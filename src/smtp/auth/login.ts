import {
  createAuthError,
  decodeUtf8,
  encodeUtf8,
  quoteServerText,
  type Credentials,
  type SaslMechanism,
} from './mechanism.js';

type LoginPrompt = 'username' | 'password';

/**
 * Maps a LOGIN challenge to what it asks for. LOGIN was never standardised (only the expired
 * draft-murchison-sasl-login), so servers word the prompts freely: `Username:`, `User Name`,
 * `username:`, `Password`. Letters are compared case-insensitively, ignoring everything else.
 */
function readPrompt(challenge: Uint8Array): LoginPrompt | undefined {
  const letters = decodeUtf8(challenge)
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (letters === 'username' || letters === 'user') return 'username';
  if (letters === 'password') return 'password';
  return undefined;
}

/**
 * LOGIN: the username and the password, each in answer to a prompt. No initial response, since
 * servers that predate RFC 4954 do not accept one. The password goes as it is: TLS only.
 */
export class LoginMechanism implements SaslMechanism {
  readonly name = 'LOGIN';
  readonly #credentials: Credentials;
  readonly #answered = new Set<LoginPrompt>();

  constructor(credentials: Credentials) {
    this.#credentials = { ...credentials };
  }

  initialResponse(): undefined {
    return undefined;
  }

  respond(challenge: Uint8Array): Uint8Array {
    const prompt = readPrompt(challenge);
    if (prompt === undefined) {
      // Guessing would risk sending the password where the server expects something else.
      throw createAuthError(
        this.name,
        `The server sent a LOGIN prompt that is neither a username nor a password prompt ("${quoteServerText(decodeUtf8(challenge))}"); authentication was cancelled. Choose another mechanism.`,
      );
    }
    if (this.#answered.has(prompt)) {
      throw createAuthError(
        this.name,
        `The server asked for the ${prompt} twice during LOGIN; authentication was cancelled.`,
      );
    }
    this.#answered.add(prompt);
    return encodeUtf8(
      prompt === 'username' ? this.#credentials.username : this.#credentials.password,
    );
  }
}

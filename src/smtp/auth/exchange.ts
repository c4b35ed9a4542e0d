import { MAX_COMMAND_LENGTH } from '../commands.js';
import { SmtpAuthError, SmtpError, expectReply } from '../errors.js';
import type { Reply } from '../reply.js';
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import { createAuthError, type SaslMechanism } from './mechanism.js';
import { redactSecrets } from '../redaction.js';

/**
 * The connection as the AUTH exchange needs it. The connection layer sends `line` + CRLF through
 * its single command builder, returns the next reply, and writes `[redacted]` in place of the
 * line in its transcript when `sensitive` is true.
 */
export interface AuthChannel {
  send(line: string, sensitive: boolean): Promise<Reply>;
}

export interface AuthenticateOptions {
  /** Strings to keep out of error messages, e.g. `secretFormsOf(credentials)`. */
  secrets?: readonly string[];
  /** How many 334 challenges to answer before giving up (default 10). */
  maxChallenges?: number;
}

const DEFAULT_MAX_CHALLENGES = 10;

/** What to do about the usual AUTH failures (RFC 4954 6, RFC 3463 5.7.x). */
const FAILURE_HINTS: Readonly<Record<number, string>> = {
  454: 'the server could not authenticate just now; try again later',
  534: 'the server finds this mechanism too weak or wants an app password; choose another mechanism or follow the link in its reply',
  535: 'check the username and password (or token)',
  538: 'the server requires an encrypted connection for this mechanism; use TLS',
};

/** Everything the exchange has put on the wire or been told is secret, for redaction. */
class Redactor {
  readonly #secrets: string[];
  constructor(secrets: readonly string[]) {
    this.#secrets = [...secrets];
  }
  remember(sent: string): void {
    // Shorter lines ("=", "") are not secret, and redacting them would garble every message.
    if (sent.length >= 4) this.#secrets.push(sent);
  }
  text(text: string): string {
    return redactSecrets(text, this.#secrets);
  }
  reply(reply: Reply): Reply {
    return { ...reply, lines: reply.lines.map((line) => this.text(line)) };
  }
}

/** The bytes of a 334 challenge (RFC 4954 4), or `undefined` if it is not one base64 line. */
function readChallenge(reply: Reply): Uint8Array | undefined {
  if (reply.lines.length > 1) return undefined;
  return decodeBase64Strict(reply.lines[0] ?? '');
}

/**
 * Runs one AUTH exchange (RFC 4954 4) and returns the 235 reply. Throws SmtpAuthError, with
 * every secret redacted, when the server refuses, when the mechanism or the exchange has to
 * cancel (after sending `*`), or when the server fails to prove itself after 235 (SCRAM); the
 * connection should then be closed rather than used.
 */
export async function authenticate(
  channel: AuthChannel,
  mechanism: SaslMechanism,
  options: AuthenticateOptions = {},
): Promise<Reply> {
  const command = `AUTH ${mechanism.name}`;
  const redactor = new Redactor(options.secrets ?? []);
  const maxChallenges = options.maxChallenges ?? DEFAULT_MAX_CHALLENGES;
  const encoded = encodeInitialResponse(mechanism.initialResponse());
  if (encoded !== undefined) redactor.remember(encoded);
  const inline = encoded !== undefined && fitsAuthCommand(mechanism.name, encoded);
  let reply = await channel.send(inline ? `${command} ${encoded}` : command, inline);
  // RFC 4954 4: an initial response too long for the AUTH line answers the server's empty 334.
  if (encoded !== undefined && !inline && reply.code === 334) {
    reply = await channel.send(encoded, true);
  }
  for (let count = 1; reply.code === 334; count += 1) {
    const response = await answerChallenge(channel, mechanism, reply, count > maxChallenges);
    if (response instanceof Error) throw redactError(response, command, reply, redactor);
    redactor.remember(response);
    reply = await channel.send(response, response !== '');
  }
  if (reply.code !== 235) throw failWith(mechanism, command, redactor.reply(reply), redactor);
  try {
    verifySuccess(mechanism, reply);
  } catch (error) {
    throw redactError(error, command, reply, redactor);
  }
  return reply;
}

/** RFC 4954 4: the initial response in base64, an empty one as a single "=". */
function encodeInitialResponse(initial: Uint8Array | undefined): string | undefined {
  return initial === undefined ? undefined : encodeBase64(initial) || '=';
}

/**
 * RFC 4954 4: "the AUTH command is still subject to the line length limitations defined in
 * [SMTP]" (512 octets with CRLF, RFC 5321 4.5.3.1.4); an initial response that would break it
 * MUST NOT go on the AUTH line. (12288 octets is what SASL responses on lines of their own may
 * reach.) `initial` is raw bytes, or already base64 when a string.
 */
export function fitsAuthCommand(mechanism: string, initial: Uint8Array | string): boolean {
  const encoded = typeof initial === 'string' ? initial : encodeInitialResponse(initial);
  return `AUTH ${mechanism} ${encoded}\r\n`.length <= MAX_COMMAND_LENGTH;
}

/** Answers one 334 with base64, or sends `*` to cancel (RFC 4954 4) and returns why. */
async function answerChallenge(
  channel: AuthChannel,
  mechanism: SaslMechanism,
  reply: Reply,
  overLimit: boolean,
): Promise<string | Error> {
  const challenge = readChallenge(reply);
  let problem: Error;
  if (overLimit) {
    problem = createAuthError(
      mechanism.name,
      `The server kept sending ${mechanism.name} challenges; authentication was cancelled.`,
    );
  } else if (challenge === undefined) {
    problem = createAuthError(
      mechanism.name,
      `The server sent a ${mechanism.name} challenge that is not valid base64; authentication was cancelled.`,
    );
  } else {
    try {
      return encodeBase64(mechanism.respond(challenge));
    } catch (error) {
      problem = error instanceof Error ? error : new Error(String(error));
    }
  }
  await cancel(channel);
  return problem;
}

/** RFC 4954 4: `*` cancels; the server answers 501, which tells nothing new and is not kept. */
async function cancel(channel: AuthChannel): Promise<void> {
  try {
    await channel.send('*', false);
  } catch {
    // The exchange is already failing; the reason for that matters more than a broken socket.
  }
}

/**
 * RFC 4954 4 carries "additional data with success" in a 334 challenge (answered in the loop),
 * but some servers append it to the 235 reply instead, as base64 after the code: accept both.
 */
function verifySuccess(mechanism: SaslMechanism, reply: Reply): void {
  if (mechanism.verifySuccess === undefined) return;
  const data = reply.lines.length === 1 ? decodeBase64Strict(reply.lines[0] ?? '') : undefined;
  mechanism.verifySuccess(data !== undefined && data.length > 0 ? data : undefined);
}

/** A mechanism's own SmtpError, with the reply attached and anything secret taken out. */
function redactError(error: unknown, command: string, reply: Reply, redactor: Redactor): unknown {
  if (!(error instanceof SmtpError)) return error;
  return new SmtpAuthError(redactor.text(error.message), {
    phase: 'auth',
    command,
    reply: redactor.reply(reply),
    transient: error.transient,
  });
}

/** The error for a final reply other than 235, compared in the one place that compares codes. */
function failWith(
  mechanism: SaslMechanism,
  command: string,
  reply: Reply,
  redactor: Redactor,
): unknown {
  try {
    expectReply(reply, 235, { phase: 'auth', command, errorType: SmtpAuthError });
  } catch (error) {
    if (!(error instanceof SmtpError)) return error;
    const detail = mechanism.describeFailure?.();
    const hint = FAILURE_HINTS[reply.code];
    const extra = [detail, hint].filter((part) => part !== undefined).join('; ');
    const message = redactor.text(extra === '' ? error.message : `${error.message} (${extra})`);
    return new SmtpAuthError(message, {
      phase: 'auth',
      command,
      reply,
      transient: error.transient,
    });
  }
  return new SmtpAuthError(`${command} failed with reply ${reply.code}.`, {
    phase: 'auth',
    command,
  });
}

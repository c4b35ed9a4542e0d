import {
  authenticate,
  fitsAuthCommand,
  type AuthChannel,
  type AuthMechanismName,
  type SaslMechanism,
} from './auth/index.js';
import { formatCommand, formatSaslResponse } from './commands.js';
import type { SmtpConnection } from './connection.js';
import { SmtpAuthError, SmtpProtocolError, type SmtpPhase } from './errors.js';
import type { Reply } from './reply.js';
import type { TranscriptLine } from './transcript.js';

/**
 * RFC 4954 4: AUTH must end a pipelined group, except when "the AUTH command contains an initial
 * response for a SASL mechanism that allows the client to send data first, the SASL mechanism
 * is known to complete in one round-trip, and a security layer is not negotiated", naming PLAIN.
 * XOAUTH2 does not qualify: it answers a failure with a challenge, a second round trip.
 */
const ONE_ROUND_TRIP_MECHANISMS: ReadonlySet<AuthMechanismName> = new Set(['PLAIN']);

/**
 * Whether an AUTH may lead a pipelined group: the server pipelines, the mechanism completes in
 * one round trip, and its initial response fits on the AUTH line (RFC 4954 4), without which
 * it takes a round trip of its own.
 */
export function canLeadGroup(
  name: AuthMechanismName,
  mechanism: SaslMechanism,
  pipelining: boolean,
): boolean {
  if (!pipelining || !ONE_ROUND_TRIP_MECHANISMS.has(name)) return false;
  const initial = mechanism.initialResponse();
  return initial !== undefined && fitsAuthCommand(name, initial);
}

/** What an AUTH exchange uses of the session. */
export interface AuthIo {
  connection: SmtpConnection;
  read(phase: SmtpPhase, command: string): Promise<Reply>;
  destroy(): void;
}

/** An AUTH readied to lead the first pipelined group instead of taking a round trip alone. */
export interface DeferredAuth {
  name: AuthMechanismName;
  mechanism: SaslMechanism;
  secrets: readonly string[];
}

/** A pipelined group as written: its bytes and a transcript line per command. */
interface WrittenGroup {
  bytes: Uint8Array;
  lines: TranscriptLine[];
}

/** Commands that ride in the same write as a one-round-trip AUTH command. */
interface LeadingGroup extends WrittenGroup {
  /** Set when the server answered that AUTH with a challenge after all. */
  challenged: boolean;
  /** Set once the AUTH line and the group were handed to the connection. */
  sent: boolean;
}

/**
 * The connection as the AUTH exchange sees it. Every line after AUTH carries SASL data, so all
 * but `*` are redacted in the transcript. In errors a step is named `AUTH <mechanism>`, never by
 * a response line: a LOGIN response is the password in base64, and a timeout or drop right
 * after it would quote it. A `leading` group goes out in the same write as the AUTH command;
 * any later line (a challenge's answer or `*`) is refused, as the server took the group for it.
 */
export function createAuthChannel(io: AuthIo, leading?: LeadingGroup): AuthChannel {
  let shown = 'AUTH';
  let group = leading;
  return {
    send: async (line, sensitive) => {
      if (leading !== undefined && group === undefined) {
        leading.challenged = true;
        throw new SmtpProtocolError(
          `The server sent a challenge to ${shown} with its initial response, which completes in one step (RFC 4954 4); the session is out of step.`,
          { phase: 'auth', command: shown },
        );
      }
      const isAuth = /^AUTH /i.test(line);
      const bytes = isAuth
        ? formatCommand('AUTH', ...line.slice(5).split(' '))
        : formatSaslResponse(line);
      const redact = sensitive || (!isAuth && line !== '*');
      if (isAuth) shown = line.split(' ').slice(0, 2).join(' ');
      const step = isAuth || line === '*' ? shown : `${shown} (response)`;
      const lines = [{ text: line, sensitive: redact }, ...(group?.lines ?? [])];
      const all = group === undefined ? bytes : Buffer.concat([bytes, group.bytes]);
      if (leading !== undefined && group !== undefined) leading.sent = true;
      group = undefined;
      await io.connection.write(all, lines, { phase: 'auth', command: step });
      return io.read('auth', step);
    },
  };
}

/**
 * Runs a readied AUTH in the same write as `group` and checks its reply before any reply to the
 * group is read. A refusal throws once the group is dealt with: the server still answers every
 * command of it, and reading those replies keeps the session in step for a polite QUIT, unless
 * DATA was answered 354 (a server that takes mail without credentials now waits for content,
 * and only closing without the final dot ends that transaction undelivered, RFC 5321 4.1.1.10)
 * or AUTH was challenged (the server read the group as SASL data): then the connection closes.
 */
export async function authenticateLeading(
  io: AuthIo,
  auth: DeferredAuth,
  group: WrittenGroup,
): Promise<void> {
  const leading: LeadingGroup = { ...group, challenged: false, sent: false };
  try {
    await authenticate(createAuthChannel(io, leading), auth.mechanism, { secrets: auth.secrets });
  } catch (error) {
    // Failed before anything went out (the AUTH line could not be formatted): no reply is owed.
    if (!leading.sent) throw error;
    const last = leading.challenged ? undefined : await readLastReply(io, group);
    if (last === undefined || last.code === 354) io.destroy();
    throw error;
  }
}

/** Reads the replies to `group` and returns the last; undefined when a read failed. */
async function readLastReply(io: AuthIo, group: WrittenGroup): Promise<Reply | undefined> {
  try {
    let last: Reply | undefined;
    for (const line of group.lines) last = await io.read('auth', line.text);
    return last;
  } catch {
    return undefined;
  }
}

/** The server answered AUTH with a refusal (4yz or 5yz), other than 421 (closing, RFC 5321 3.8). */
export function isAuthRefusal(error: unknown): boolean {
  const code = error instanceof SmtpAuthError ? error.reply?.code : undefined;
  return code !== undefined && code >= 400 && code !== 421;
}

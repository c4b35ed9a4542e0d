import { quitCommand, rsetCommand } from './commands.js';
import { DataEncoder } from './data-encoder.js';
import type { EnvelopeAddress } from './envelope-address.js';
import {
  abandonEnvelope,
  buildEnvelope,
  groupOf,
  readEnvelopeReplies,
  sendEnvelopeInTurn,
  sendEnvelopePipelined,
  type Envelope,
  type EnvelopeReplies,
} from './envelope-group.js';
import {
  SmtpError,
  SmtpProtocolError,
  expectReply,
  type RecipientReply,
  type SmtpPhase,
} from './errors.js';
import type { EnvelopeParameters } from './mail-parameters.js';
import type { RecipientPlan } from './recipient-plan.js';
import { refusalsHeard, sortRecipientReplies, type HeardReplies } from './recipient-replies.js';
import type { Reply } from './reply.js';
import { formatReply } from './reply-text.js';
import type { CheckedSend } from './send-options.js';
import { commandOf, type Command, type SmtpSession } from './session.js';
import type { Transcript, TranscriptLine } from './transcript.js';

/** What every transaction of one send shares. */
export interface TransactionContext {
  session: SmtpSession;
  send: CheckedSend;
  parameters: EnvelopeParameters;
  transcript: Transcript;
  /** Says, once this transaction's envelope is answered, who goes in the next one. */
  plan: RecipientPlan;
}

/** What one MAIL transaction did. */
export interface TransactionOutcome {
  accepted: RecipientReply[];
  rejected: RecipientReply[];
  /** Recipients the server asked to send in another transaction (452, RFC 5321 4.5.3.1.10). */
  deferred: EnvelopeAddress[];
  /** The replies that deferred them, reported as refusals if deferring gets nowhere. */
  deferredReplies: RecipientReply[];
  /** The reply to the final dot; undefined when no recipient was accepted. */
  reply: Reply | undefined;
  /** The recipients of the next transaction; empty when this was the last. */
  next: EnvelopeAddress[];
  /** The next transaction's envelope already went out with this one's dot: its replies are due. */
  nextSent: boolean;
}

/**
 * What rides in the write of the final dot (RFC 2920 3.1): QUIT after the last transaction, or
 * the next transaction's envelope, whose replies follow the reply to the dot.
 */
type AfterDot = { quit: boolean } | { envelope: Envelope };

const dotLine = new Uint8Array([0x2e, 0x0d, 0x0a]);

/** Said in the transcript when a refused message leaves the next envelope without a message. */
const abandonNotes = {
  'in step': '[message refused: the next transaction, already begun, is left without content]',
  dropped: '[message refused: the connection is closed before the next transaction has content]',
} as const;

/**
 * One transaction: MAIL FROM, RCPT TO for each recipient, DATA, the message and its dot.
 * With PIPELINING (RFC 2920 3.1) the envelope is one write and the message, its dot and then
 * QUIT or the next transaction's envelope the next: two round trips for the first transaction,
 * one for each after it (`envelopeSent`: its envelope went with the previous dot). Without it,
 * one command per round trip. When it fails, the error's `rejected` lists the recipients it had
 * refused by then: no TransactionOutcome will.
 */
export async function runTransaction(
  context: TransactionContext,
  recipients: readonly EnvelopeAddress[],
  envelopeSent = false,
): Promise<TransactionOutcome> {
  const { session, send } = context;
  const envelope = buildEnvelope(send, context.parameters, recipients);
  const heard: HeardReplies = { mail: undefined, recipients: [] };
  try {
    const replies = await exchangeEnvelope(session, envelope, heard, envelopeSent);
    const sorted = sortRecipientReplies(recipients, replies.recipients);
    // RFC 5321 4.3.2: only a 2yz accepts MAIL. A 3yz to it comes from a server out of step,
    // and whatever it answers to RCPT and DATA after that is no go-ahead for the content.
    const mailAccepted = replies.mail.code >= 200 && replies.mail.code < 300;
    const accepted = mailAccepted ? sorted.accepted : [];
    const next = context.plan.next(accepted.length, sorted.deferred);
    if (accepted.length === 0) {
      await endEmptyTransaction(session, replies, next.length > 0);
      expectReply(replies.mail, '2', { phase: 'mail', command: envelope.mail.line });
      return { ...sorted, accepted, reply: undefined, next, nextSent: false };
    }
    expectReply(replies.data ?? replies.mail, 354, { phase: 'data', command: 'DATA' });
    // QUIT or the next envelope may ride with the dot only when the server pipelines.
    const pipelining = session.capabilities.pipelining;
    const after: AfterDot =
      pipelining && next.length > 0
        ? { envelope: buildEnvelope(send, context.parameters, next) }
        : { quit: pipelining };
    const reply = await sendMessage(session, send.message, after, context.transcript);
    return { ...sorted, accepted, reply, next, nextSent: 'envelope' in after };
  } catch (error) {
    if (error instanceof SmtpError) error.rejected = refusalsHeard(recipients, heard);
    throw error;
  }
}

/** Sends the envelope (or, when it already went with the previous dot, only reads its replies). */
async function exchangeEnvelope(
  session: SmtpSession,
  envelope: Envelope,
  heard: HeardReplies,
  sent: boolean,
): Promise<EnvelopeReplies> {
  if (sent) return readEnvelopeReplies(session, envelope, heard);
  await refuseUnaskedReply(session, 'mail', envelope.mail.line);
  return session.capabilities.pipelining
    ? sendEnvelopePipelined(session, envelope, heard)
    : sendEnvelopeInTurn(session, envelope, heard);
}

/**
 * No recipient was accepted. If DATA was still answered 354 (pipelined), RFC 2920 3.1 wants a
 * lone dot so the server ends the empty transaction, with QUIT in the same write when no other
 * transaction follows; but that holds only when the server itself accepted no RCPT. One that
 * did (after a MAIL answered other than 2yz) would take the dot as an empty message to
 * deliver, so the connection is closed without it (RFC 5321 4.1.1.10). Otherwise RSET clears a
 * MAIL the server accepted, but only for another transaction: QUIT comes next and aborts it
 * as well (RFC 5321 3.3, 4.1.1.5).
 */
async function endEmptyTransaction(
  session: SmtpSession,
  replies: EnvelopeReplies,
  more: boolean,
): Promise<void> {
  const serverAccepted = replies.recipients.some((reply) => reply.code >= 200 && reply.code < 300);
  if (replies.data?.code === 354 && serverAccepted) {
    session.destroy();
  } else if (replies.data?.code === 354) {
    const quit = !more && session.capabilities.pipelining;
    const { bytes, lines } = dotWithRiders(session, dotLine, { quit });
    await session.connection.write(bytes, lines, { phase: 'data', command: '.' });
    await session.read('data', '.');
  } else if (replies.mail.code < 400 && more) {
    await session.command(commandOf(rsetCommand(), 'RSET'), 'mail');
  }
}

/**
 * The message, dot-stuffed with CRLF line endings, then `.` and what rides with it (`after`).
 * The dot goes in its own write so that a failure while the content is still going out is
 * known not to have delivered anything.
 */
async function sendMessage(
  session: SmtpSession,
  message: Uint8Array,
  after: AfterDot,
  transcript: Transcript,
): Promise<Reply> {
  const encoder = new DataEncoder();
  const content = encoder.push(message);
  transcript.info(`[message: ${message.length} octets]`);
  const context = { phase: 'message', command: 'the message content' } as const;
  await refuseUnaskedReply(session, context.phase, context.command);
  await session.connection.write(content, [], context);
  // Outside the try below: until the dot is written, nothing can have been delivered.
  await refuseUnaskedReply(session, context.phase, context.command);
  const { bytes: tail, lines } = dotWithRiders(session, encoder.end(), after);
  const dot = { phase: 'message', command: 'the end of the message (.)' } as const;
  // Read just before the write, which hands the bytes over before it first waits: a connection
  // already closed here never got the dot, so nothing can have been delivered.
  const dotHandedOver = session.connection.isOpen;
  try {
    await session.connection.write(tail, lines, { phase: 'message', command: '.' });
    const reply = await session.read(dot.phase, dot.command, session.timeouts.finalReply);
    if ('envelope' in after && (reply.code < 200 || reply.code >= 300)) {
      const ending = await abandonEnvelope(session, after.envelope, reply);
      transcript.info(abandonNotes[ending]);
    }
    return expectReply(reply, '2', dot);
  } catch (error) {
    // RFC 5321 4.5.3.2.6: once the dot may have arrived, only the server's reply says whether
    // it took the message. Without that reply, the outcome is unknown, not a failure.
    if (error instanceof SmtpError && error.reply === undefined && dotHandedOver) {
      error.outcome = 'unknown';
    }
    throw error;
  }
}

/**
 * The final dot (`end`) and the commands that go out in its write, with their transcript
 * lines; QUIT's reply is then left for `session.quit`.
 */
function dotWithRiders(
  session: SmtpSession,
  end: Uint8Array,
  after: AfterDot,
): { bytes: Uint8Array; lines: TranscriptLine[] } {
  let riders: Command[] = [];
  if ('envelope' in after) {
    riders = groupOf(after.envelope);
  } else if (after.quit) {
    session.noteQuitSent();
    riders = [commandOf(quitCommand(), 'QUIT')];
  }
  const bytes = Buffer.concat([end, ...riders.map((command) => command.bytes)]);
  return { bytes, lines: [{ text: '.' }, ...riders.map((command) => ({ text: command.line }))] };
}

/**
 * Before a command group, and after 354 until the final dot, the server has nothing to answer
 * (RFC 5321 4.1.1.4: the one reply to DATA's content follows the dot). A reply that comes
 * anyway would be read as the answer to what we send next, and a 250 there would report a
 * message the server never received as delivered. A refusal (a 421 before MAIL, a size limit
 * hit mid-stream) is reported as the refusal it is; anything else breaks the protocol. The
 * connection is out of step either way, so it is dropped.
 */
async function refuseUnaskedReply(
  session: SmtpSession,
  phase: SmtpPhase,
  command: string,
): Promise<void> {
  const unread = session.connection.unread;
  if (unread === 'nothing') return;
  let heard = 'part of a reply';
  try {
    if (unread === 'reply') {
      const early = await session.read(phase, command);
      expectReply(early, ['2', '3'], { phase, command });
      heard = formatReply(early);
    }
  } finally {
    session.destroy();
  }
  throw new SmtpProtocolError(
    `The server sent ${heard} where no reply was due (before ${command}): it answers nothing the client sent, so the session is out of step. Stopped before the final dot, so this transaction delivered nothing.`,
    { phase, command },
  );
}

import { dataCommand, mailCommand, quitCommand, rcptCommand, rsetCommand } from './commands.js';
import { DataEncoder } from './data-encoder.js';
import type { EnvelopeAddress } from './envelope-address.js';
import {
  SmtpError,
  SmtpProtocolError,
  expectReply,
  type RecipientReply,
  type SmtpPhase,
} from './errors.js';
import type { EnvelopeParameters } from './mail-parameters.js';
import type { CheckedSend } from './send-options.js';
import { refusalsHeard, sortRecipientReplies, type HeardReplies } from './recipient-replies.js';
import type { Reply } from './reply.js';
import { formatReply } from './reply-text.js';
import { commandOf, type Command, type SmtpSession } from './session.js';
import type { Transcript } from './transcript.js';

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
}

interface EnvelopeReplies {
  mail: Reply;
  recipients: Reply[];
  data: Reply | undefined;
}

const dotLine = new Uint8Array([0x2e, 0x0d, 0x0a]);

/**
 * One transaction: MAIL FROM, RCPT TO for each recipient, DATA, the message and its dot.
 * With PIPELINING (RFC 2920 3.1) the envelope is one write and the message, its dot and QUIT
 * (when nothing is left for another transaction) the next: two round trips. Without it, one
 * command per round trip. When it fails, the error's `rejected` lists the recipients it had
 * refused by then: no TransactionOutcome will.
 */
export async function runTransaction(
  session: SmtpSession,
  send: CheckedSend,
  parameters: EnvelopeParameters,
  recipients: readonly EnvelopeAddress[],
  transcript: Transcript,
): Promise<TransactionOutcome> {
  const mail = commandOf(
    mailCommand(send.sender.wire, parameters.mail),
    `MAIL FROM:<${send.sender.wire}>`,
  );
  const rcpts = recipients.map((r) =>
    commandOf(rcptCommand(r.wire, parameters.rcpt), `RCPT TO:<${r.wire}>`),
  );
  const heard: HeardReplies = { mail: undefined, recipients: [] };
  try {
    await refuseUnaskedReply(session, 'mail', mail.line);
    const replies = session.capabilities.pipelining
      ? await sendEnvelopePipelined(session, mail, rcpts, heard)
      : await sendEnvelopeInTurn(session, mail, rcpts, heard);
    const sorted = sortRecipientReplies(recipients, replies.recipients);
    const accepted = replies.mail.code < 400 ? sorted.accepted : [];
    if (accepted.length === 0) {
      await endEmptyTransaction(session, replies);
      expectReply(replies.mail, '2', { phase: 'mail', command: mail.line });
      return { ...sorted, accepted, reply: undefined };
    }
    expectReply(replies.data ?? replies.mail, 354, { phase: 'data', command: 'DATA' });
    // QUIT may ride with the dot only when the server pipelines (RFC 2920 3.1).
    const quitNow = session.capabilities.pipelining && sorted.deferred.length === 0;
    const reply = await sendMessage(session, send.message, quitNow, transcript);
    return { ...sorted, accepted, reply };
  } catch (error) {
    if (error instanceof SmtpError) error.rejected = refusalsHeard(recipients, heard);
    throw error;
  }
}

/** MAIL, every RCPT and DATA in one write; then every reply, in order, each checked. */
async function sendEnvelopePipelined(
  session: SmtpSession,
  mail: Command,
  rcpts: readonly Command[],
  heard: HeardReplies,
): Promise<EnvelopeReplies> {
  const group = [mail, ...rcpts, commandOf(dataCommand(), 'DATA')];
  await session.connection.write(
    Buffer.concat(group.map((command) => command.bytes)),
    group.map((command) => ({ text: command.line })),
    { phase: 'mail', command: mail.line },
  );
  const mailReply = (heard.mail = await checkedRead(session, 'mail', mail.line));
  for (const rcpt of rcpts) heard.recipients.push(await checkedRead(session, 'rcpt', rcpt.line));
  const data = await checkedRead(session, 'data', 'DATA');
  return { mail: mailReply, recipients: heard.recipients, data };
}

/** Without PIPELINING: each command waits for its reply; DATA only if someone was accepted. */
async function sendEnvelopeInTurn(
  session: SmtpSession,
  mail: Command,
  rcpts: readonly Command[],
  heard: HeardReplies,
): Promise<EnvelopeReplies> {
  const mailReply = checkClosing(await session.command(mail, 'mail'), 'mail', mail.line);
  heard.mail = expectReply(mailReply, '2', { phase: 'mail', command: mail.line });
  const recipients = heard.recipients;
  for (const rcpt of rcpts) {
    recipients.push(checkClosing(await session.command(rcpt, 'rcpt'), 'rcpt', rcpt.line));
  }
  if (!recipients.some((reply) => reply.code >= 200 && reply.code < 300)) {
    return { mail: mailReply, recipients, data: undefined };
  }
  const data = await session.command(commandOf(dataCommand(), 'DATA'), 'data');
  return { mail: mailReply, recipients, data: checkClosing(data, 'data', 'DATA') };
}

/**
 * No recipient was accepted. If DATA was still answered 354 (pipelined), RFC 2920 3.1 wants a
 * lone dot so the server ends the empty transaction; otherwise RSET clears it.
 */
async function endEmptyTransaction(session: SmtpSession, replies: EnvelopeReplies): Promise<void> {
  if (replies.data?.code === 354) {
    await session.connection.write(dotLine, [{ text: '.' }], { phase: 'data', command: '.' });
    await session.read('data', '.');
  } else if (replies.mail.code < 400) {
    await session.command(commandOf(rsetCommand(), 'RSET'), 'mail');
  }
}

/**
 * The message, dot-stuffed with CRLF line endings, then `.` and, when this is the last
 * transaction, QUIT in the same flight. The dot goes in its own write so that a failure while
 * the content is still going out is known not to have delivered anything.
 */
async function sendMessage(
  session: SmtpSession,
  message: Uint8Array,
  quitNow: boolean,
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
  if (quitNow) session.noteQuitSent();
  const end = encoder.end();
  const tail = quitNow ? Buffer.concat([end, quitCommand()]) : end;
  const lines = quitNow ? [{ text: '.' }, { text: 'QUIT' }] : [{ text: '.' }];
  const dot = { phase: 'message', command: 'the end of the message (.)' } as const;
  // Read just before the write, which hands the bytes over before it first waits: a connection
  // already closed here never got the dot, so nothing can have been delivered.
  const dotHandedOver = session.connection.isOpen;
  try {
    await session.connection.write(tail, lines, { phase: 'message', command: '.' });
    const reply = await session.read(dot.phase, dot.command, session.timeouts.finalReply);
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

/** Reads one pipelined reply; 421 means the server is closing and ends the session at once. */
async function checkedRead(
  session: SmtpSession,
  phase: 'mail' | 'rcpt' | 'data',
  command: string,
): Promise<Reply> {
  return checkClosing(await session.read(phase, command), phase, command);
}

/** RFC 5321 3.8: a 421 can answer any command; the connection is gone after it. */
function checkClosing(reply: Reply, phase: 'mail' | 'rcpt' | 'data', command: string): Reply {
  if (reply.code === 421) expectReply(reply, '2', { phase, command });
  return reply;
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

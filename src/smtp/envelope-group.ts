import { dataCommand, mailCommand, rcptCommand } from './commands.js';
import type { EnvelopeAddress } from './envelope-address.js';
import { expectReply } from './errors.js';
import type { EnvelopeParameters } from './mail-parameters.js';
import type { HeardReplies } from './recipient-replies.js';
import type { Reply } from './reply.js';
import type { CheckedSend } from './send-options.js';
import { commandOf, type Command, type SmtpSession } from './session.js';

/** The commands of one transaction's envelope: MAIL FROM, a RCPT TO per recipient, DATA. */
export interface Envelope {
  mail: Command;
  rcpts: Command[];
  data: Command;
}

export interface EnvelopeReplies {
  mail: Reply;
  recipients: Reply[];
  /** Undefined when DATA was not sent (without PIPELINING, after no recipient was accepted). */
  data: Reply | undefined;
}

export function buildEnvelope(
  send: CheckedSend,
  parameters: EnvelopeParameters,
  recipients: readonly EnvelopeAddress[],
): Envelope {
  return {
    mail: commandOf(
      mailCommand(send.sender.wire, parameters.mail),
      `MAIL FROM:<${send.sender.wire}>`,
    ),
    rcpts: recipients.map((r) =>
      commandOf(rcptCommand(r.wire, parameters.rcpt), `RCPT TO:<${r.wire}>`),
    ),
    data: commandOf(dataCommand(), 'DATA'),
  };
}

/** The envelope as one pipelined group (RFC 2920 3.1), in the order the replies come. */
export function groupOf(envelope: Envelope): Command[] {
  return [envelope.mail, ...envelope.rcpts, envelope.data];
}

/**
 * MAIL, every RCPT and DATA in one write (led by AUTH PLAIN when the session readied it); then
 * every reply, in order, each checked.
 */
export async function sendEnvelopePipelined(
  session: SmtpSession,
  envelope: Envelope,
  heard: HeardReplies,
): Promise<EnvelopeReplies> {
  await session.writeGroup(groupOf(envelope), 'mail');
  return readEnvelopeReplies(session, envelope, heard);
}

/** The replies to an envelope group already written, read in order into `heard`. */
export async function readEnvelopeReplies(
  session: SmtpSession,
  envelope: Envelope,
  heard: HeardReplies,
): Promise<EnvelopeReplies> {
  const mail = (heard.mail = await checkedRead(session, 'mail', envelope.mail.line));
  for (const rcpt of envelope.rcpts) {
    heard.recipients.push(await checkedRead(session, 'rcpt', rcpt.line));
  }
  const data = await checkedRead(session, 'data', envelope.data.line);
  return { mail, recipients: heard.recipients, data };
}

/** Without PIPELINING: each command waits for its reply; DATA only if someone was accepted. */
export async function sendEnvelopeInTurn(
  session: SmtpSession,
  envelope: Envelope,
  heard: HeardReplies,
): Promise<EnvelopeReplies> {
  const { mail, rcpts, data } = envelope;
  const mailReply = checkClosing(await session.command(mail, 'mail'), 'mail', mail.line);
  heard.mail = expectReply(mailReply, '2', { phase: 'mail', command: mail.line });
  const recipients = heard.recipients;
  for (const rcpt of rcpts) {
    recipients.push(checkClosing(await session.command(rcpt, 'rcpt'), 'rcpt', rcpt.line));
  }
  if (!recipients.some((reply) => reply.code >= 200 && reply.code < 300)) {
    return { mail: mailReply, recipients, data: undefined };
  }
  const dataReply = checkClosing(await session.command(data, 'data'), 'data', data.line);
  return { mail: mailReply, recipients, data: dataReply };
}

/**
 * The previous message was refused after the next envelope had gone out behind its dot: that
 * next transaction must deliver nothing. Its replies are read to keep the session in step for
 * a polite QUIT; but once its DATA is answered 354 the server waits for content, and only
 * closing without a final dot leaves that transaction undelivered (RFC 5321 4.1.1.10), so the
 * connection is dropped then, as it is when a reply does not come. Returns what was done.
 */
export async function abandonEnvelope(
  session: SmtpSession,
  envelope: Envelope,
  dotReply: Reply,
): Promise<'in step' | 'dropped'> {
  let data: Reply | undefined;
  // RFC 5321 3.8: after a 421 the server closes; no reply to the group will come.
  if (dotReply.code !== 421) {
    const heard: HeardReplies = { mail: undefined, recipients: [] };
    // A failed read leaves `data` unset: the refusal of the message stays the error reported.
    data = await readEnvelopeReplies(session, envelope, heard).then(
      (replies) => replies.data,
      () => undefined,
    );
  }
  if (data !== undefined && data.code !== 354 && session.connection.isOpen) return 'in step';
  session.destroy();
  return 'dropped';
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

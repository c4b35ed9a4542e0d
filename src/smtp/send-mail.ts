import type { AuthMechanismName } from './auth/index.js';
import { SmtpError, SmtpInputError, SmtpRecipientsError, type RecipientReply } from './errors.js';
import { chooseEnvelopeParameters } from './mail-parameters.js';
import { checkServerOptions, type ServerOptions } from './options.js';
import { RecipientPlan } from './recipient-plan.js';
import { checkSendOptions, type SendMailOptions } from './send-options.js';
import { redactFailure, redactReply } from './redaction.js';
import type { Reply } from './reply.js';
import { SmtpSession } from './session.js';
import type { TlsInfo } from './tls.js';
import { runTransaction, type TransactionContext, type TransactionOutcome } from './transaction.js';
import { Transcript, type TranscriptEntry } from './transcript.js';

/** What a session established, for both a send and a verify. */
export interface SessionReport {
  /** The negotiated TLS protocol and cipher; undefined without TLS. */
  tls: TlsInfo | undefined;
  authMechanism: AuthMechanismName | undefined;
  /** Every line of the conversation, secrets redacted, message content left out. */
  transcript: readonly TranscriptEntry[];
  /** Things that did not stop the send but should be seen (a failed QUIT, DSN not offered). */
  warnings: string[];
}

export interface SendResult extends SessionReport {
  accepted: RecipientReply[];
  /** Every refused recipient with the server's reply; the message went to the others. */
  rejected: RecipientReply[];
  /** The server's reply to the final dot (of the last transaction): usually has a queue id. */
  reply: Reply;
  /** More than one when the server limited recipients per transaction (452). */
  transactions: number;
}

interface Delivery {
  accepted: RecipientReply[];
  rejected: RecipientReply[];
  reply: Reply | undefined;
  transactions: number;
}

/**
 * Sends one message: validates everything first (nothing is sent on bad input), then connects,
 * secures, authenticates and delivers, splitting into several transactions when the server
 * limits recipients. Resolves when the message went to at least one recipient; rejects with a
 * typed SmtpError otherwise. Refused recipients next to accepted ones are in `rejected`.
 */
export async function sendMail(options: SendMailOptions): Promise<SendResult> {
  const send = checkSendOptions(options);
  const transcript = new Transcript();
  if (send.auth !== undefined) transcript.addSecret(send.auth.password);
  // AUTH PLAIN may lead the first envelope group: one round trip fewer (RFC 4954 4).
  const session = await SmtpSession.open(send, transcript, { pipelineAuth: true }).catch(
    withTranscript(transcript),
  );
  try {
    const parameters = chooseEnvelopeParameters(send, session.capabilities);
    const plan = new RecipientPlan(send.recipients);
    const delivery = await deliver({ session, send, parameters, transcript, plan });
    const warnings = [...parameters.warnings];
    const quitWarning = await session.quit();
    if (quitWarning !== undefined) warnings.push(quitWarning);
    for (const { reply } of [...delivery.accepted, ...delivery.rejected]) {
      redactReply(reply, transcript);
    }
    redactReply(delivery.reply, transcript);
    return {
      ...report(session, transcript, warnings),
      ...delivery,
      reply: delivery.reply as Reply,
    };
  } catch (error) {
    await endAfterFailure(session, error);
    return withTranscript(transcript)(error);
  }
}

/** Attaches the conversation so far to a failure: the one place a debug log can get it. */
function withTranscript(transcript: Transcript): (error: unknown) => never {
  return (error) => {
    redactFailure(error, transcript);
    if (error instanceof SmtpError) error.transcript = transcript.entries;
    throw error;
  };
}

/** Connects, secures and authenticates, then QUITs: checks a configuration without sending. */
export async function verifyConnection(options: ServerOptions): Promise<SessionReport> {
  const checked = checkServerOptions(options);
  const transcript = new Transcript();
  if (checked.auth !== undefined) transcript.addSecret(checked.auth.password);
  const session = await SmtpSession.open(checked, transcript).catch(withTranscript(transcript));
  const warning = await session.quit();
  return report(session, transcript, warning === undefined ? [] : [warning]);
}

function report(session: SmtpSession, transcript: Transcript, warnings: string[]): SessionReport {
  return {
    tls: session.tlsInfo,
    authMechanism: session.authMechanism,
    transcript: transcript.entries,
    warnings: warnings.map((warning) => transcript.redact(warning)),
  };
}

/**
 * Transactions until every recipient was accepted or refused (RFC 5321 4.5.3.1.10), in the
 * chunks `RecipientPlan` decides. With PIPELINING each transaction after the first has its
 * envelope sent with the previous one's final dot, so only its replies are left to read.
 */
async function deliver(context: TransactionContext): Promise<Delivery> {
  const delivery: Delivery = {
    accepted: [],
    rejected: [],
    reply: undefined,
    transactions: 0,
  };
  let recipients = context.plan.first();
  let envelopeSent = false;
  while (recipients.length > 0) {
    delivery.transactions += 1;
    const outcome: TransactionOutcome = await runTransaction(
      context,
      recipients,
      envelopeSent,
    ).catch((error: unknown) => attachProgress(error, delivery));
    delivery.accepted.push(...outcome.accepted);
    delivery.rejected.push(...outcome.rejected);
    delivery.reply = outcome.reply ?? delivery.reply;
    // A deferral that let nobody through would repeat forever: report those as refused.
    if (outcome.accepted.length === 0) delivery.rejected.push(...outcome.deferredReplies);
    recipients = outcome.next;
    envelopeSent = outcome.nextSent;
  }
  if (delivery.accepted.length === 0) throw allRefused(delivery.rejected);
  return delivery;
}

/**
 * A transaction failed: the error says who has the message (after an earlier transaction
 * delivered) and who was refused, by earlier transactions and by the failed one itself (whose
 * refusals runTransaction put in `rejected`), since the SendResult that would have said so is
 * never returned. sendMail's redactFailure masks those replies with the rest of the error.
 */
function attachProgress(error: unknown, delivery: Delivery): never {
  if (!(error instanceof SmtpError)) throw error;
  if (delivery.accepted.length > 0) {
    error.outcome = error.outcome === 'unknown' ? 'unknown' : 'partial';
    error.delivered = delivery.accepted.map((recipient) => recipient.address);
  }
  error.rejected = [...delivery.rejected, ...error.rejected];
  throw error;
}

function allRefused(rejected: readonly RecipientReply[]): SmtpRecipientsError {
  const list = rejected.map((r) => `${r.address} (${r.reply.code} ${r.reply.lines.join(' ')})`);
  const first = rejected[0];
  const error = new SmtpRecipientsError(
    `The server refused every recipient, so nothing was sent: ${list.join('; ')}.`,
    {
      phase: 'rcpt',
      command: first === undefined ? 'RCPT TO' : `RCPT TO:<${first.address}>`,
      ...(first === undefined ? {} : { reply: first.reply }),
      transient: rejected.every((r) => r.reply.code >= 400 && r.reply.code < 500),
    },
  );
  error.rejected = rejected;
  return error;
}

/**
 * After a refusal (a reply other than 421) or a problem found before MAIL the connection is
 * still in step, so it is closed politely; after anything else it is torn down at once.
 */
async function endAfterFailure(session: SmtpSession, error: unknown): Promise<void> {
  const refused =
    error instanceof SmtpError && error.reply !== undefined && error.reply.code !== 421;
  const polite = refused || error instanceof SmtpInputError;
  if (polite) await session.quit();
  else session.destroy();
}

import {
  SmtpRecipientsError,
  SmtpReplyError,
  formatReply,
  type RecipientReply,
  type Reply,
  type SendResult,
  type SmtpError,
  type TlsInfo,
  type TranscriptEntry,
} from '../smtp/index.js';

/** What one attempt leaves to do: nothing, another attempt (and why), or stop with an error. */
export type AttemptVerdict =
  | { next: 'done' }
  /** `refusals`: the reason is recipients refused for now, each with its own reply. */
  | { next: 'retry'; reason: SmtpError; refusals: boolean }
  | { next: 'stop'; error: SmtpError };

/**
 * The reply recorded for recipients an earlier transaction of a failed session delivered to:
 * the error lists their addresses only, and both their RCPT and that transaction's final dot
 * were answered 2yz, so 250 is what the server said.
 */
const deliveredReply: Readonly<Reply> = Object.freeze({
  code: 250,
  lines: ['accepted in an earlier transaction of a session that failed later'],
});

function isTransientReply(reply: Reply): boolean {
  return reply.code >= 400 && reply.code < 500;
}

/**
 * Everything the attempts of one delivery found out, kept across attempts: who has the message
 * (final), who refused it for good (final), who is still to be tried and with what last reply.
 */
export class DeliveryProgress {
  readonly accepted: RecipientReply[] = [];
  readonly rejected: RecipientReply[] = [];
  readonly transcript: TranscriptEntry[] = [];
  readonly warnings: string[] = [];
  /** Connections made. */
  attempts = 0;
  response: Reply | undefined;
  tls: TlsInfo | undefined;
  authMechanism: string | undefined;
  /** Recipients not yet delivered nor refused for good, in the order given. */
  pending: string[];
  /** The 4xx reply that sent each pending recipient into another attempt. */
  readonly #lastReplies = new Map<string, Reply>();

  constructor(recipients: readonly string[]) {
    this.pending = [...recipients];
  }

  /** An attempt that delivered to someone: 4xx refusals are tried again, 5xx are final. */
  recordResult(result: SendResult): AttemptVerdict {
    this.transcript.push(...result.transcript);
    this.warnings.push(...result.warnings);
    this.accepted.push(...result.accepted);
    this.response = result.reply;
    this.tls = result.tls;
    this.authMechanism = result.authMechanism;
    const deferred = this.#sortRefusals(result.rejected);
    if (deferred.length === 0) return { next: 'done' };
    return { next: 'retry', reason: deferralError(deferred), refusals: true };
  }

  /**
   * An attempt that threw. Only where no server can have accepted the message is it worth
   * another: a transient failure with outcome `not-delivered`, or a refusal of every recipient
   * where some refusals were 4xx (those recipients alone are tried again).
   */
  recordFailure(error: SmtpError): AttemptVerdict {
    this.transcript.push(...error.transcript);
    // Set for `partial` and also for `unknown`: an earlier transaction's 250 is known either way,
    // and so are the refusals it got, which no SendResult will report.
    const delivered = new Set(error.delivered);
    this.accepted.push(...error.delivered.map((address) => ({ address, reply: deliveredReply })));
    // Refusals the session heard before it failed: 5yz are final; 4yz stay pending with their
    // reply (tried again if the failure allows, else reported with it by settlePending).
    const refusals = error instanceof SmtpRecipientsError ? [] : error.rejected;
    const deferred = new Set(this.#fileRefusals(refusals).map((refusal) => refusal.address));
    const settled = new Set([...delivered, ...this.rejected.map((refusal) => refusal.address)]);
    this.pending = this.pending.filter((address) => !settled.has(address));
    // Nobody can say whether the others have it: neither accepted nor refused (an older 4xx no
    // longer describes them), and never tried again. Those refused for now certainly do not.
    if (error.outcome === 'unknown') {
      this.pending = this.pending.filter((address) => deferred.has(address));
    }
    if (error.outcome !== 'not-delivered') return { next: 'stop', error };
    if (error instanceof SmtpRecipientsError) {
      const retried = this.#sortRefusals(error.rejected);
      if (retried.length === 0) return { next: 'stop', error };
      return { next: 'retry', reason: error, refusals: true };
    }
    // The client marks 4yz replies, timeouts, dropped connections and handshakes the network
    // cut transient; certificates, TLS versions and a port that does not speak TLS are not.
    return error.transient
      ? { next: 'retry', reason: error, refusals: false }
      : { next: 'stop', error };
  }

  /**
   * No attempt is left: whoever is still pending and was refused with a 4xx is reported with
   * that reply. Recipients never answered (the connection failed first) stay out of the list:
   * the error tells what happened to them.
   */
  settlePending(): void {
    for (const address of this.pending) {
      const reply = this.#lastReplies.get(address);
      if (reply !== undefined) this.rejected.push({ address, reply });
    }
    this.pending = [];
  }

  /** Files 5xx refusals as final; returns the 4xx ones, which become the next pending list. */
  #sortRefusals(refusals: readonly RecipientReply[]): RecipientReply[] {
    const deferred = this.#fileRefusals(refusals);
    this.pending = deferred.map((refusal) => refusal.address);
    return deferred;
  }

  /** Files 5xx refusals as final and remembers each 4xx reply; returns the 4xx refusals. */
  #fileRefusals(refusals: readonly RecipientReply[]): RecipientReply[] {
    const deferred = refusals.filter((refusal) => isTransientReply(refusal.reply));
    this.rejected.push(...refusals.filter((refusal) => !isTransientReply(refusal.reply)));
    for (const { address, reply } of deferred) this.#lastReplies.set(address, reply);
    return deferred;
  }
}

/** `a@example.com (550 5.1.1 Unknown); b@example.com (452 4.2.2 Full)`: refusals in a message. */
export function describeRefusals(refusals: readonly RecipientReply[]): string {
  return refusals.map(({ address, reply }) => `${address} (${formatReply(reply)})`).join('; ');
}

/** Why a delivery that reached some recipients goes on: the others were refused for now. */
function deferralError(deferred: readonly RecipientReply[]): SmtpError {
  const list = describeRefusals(deferred);
  const first = deferred[0];
  const noun = deferred.length === 1 ? 'recipient' : 'recipients';
  return new SmtpReplyError(
    `The server refused ${deferred.length} ${noun} for now: ${list}. The others have the message.`,
    {
      phase: 'rcpt',
      command: first === undefined ? 'RCPT TO' : `RCPT TO:<${first.address}>`,
      ...(first === undefined ? {} : { reply: first.reply }),
      transient: true,
    },
  );
}

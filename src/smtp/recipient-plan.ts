import type { EnvelopeAddress } from './envelope-address.js';

/**
 * RFC 5321 4.5.3.1.8: a server must take at least 100 recipients per transaction, and a client
 * with more should be ready to send them in 100-recipient chunks when the server declines more.
 */
const MIN_RECIPIENT_CHUNK = 100;

/**
 * Which recipients go in which transaction of one send (RFC 5321 4.5.3.1.10). The first names
 * everyone; after a 452 deferral the rest go in chunks of what the server took (never under
 * 100), so that each RCPT is sent about once rather than again in every later transaction.
 * A transaction asks for its successor as soon as its envelope is answered, before its content
 * goes out, so that the next envelope can ride with its final dot (RFC 2920 3.1).
 */
export class RecipientPlan {
  #pending: EnvelopeAddress[];
  #chunkSize: number;

  constructor(recipients: readonly EnvelopeAddress[]) {
    this.#pending = [...recipients];
    this.#chunkSize = recipients.length;
  }

  /** The recipients of the first transaction. */
  first(): EnvelopeAddress[] {
    return this.#pending.splice(0, this.#chunkSize);
  }

  /**
   * The recipients of the transaction after one whose envelope the server answered with
   * `accepted` acceptances and `deferred` deferrals; empty when none follows. A deferral that
   * let nobody through would repeat forever, so its recipients are not tried again (the caller
   * reports them as refused).
   */
  next(accepted: number, deferred: readonly EnvelopeAddress[]): EnvelopeAddress[] {
    if (accepted > 0 && deferred.length > 0) {
      this.#chunkSize = Math.max(accepted, MIN_RECIPIENT_CHUNK);
      this.#pending = [...deferred, ...this.#pending];
    }
    return this.#pending.splice(0, this.#chunkSize);
  }
}

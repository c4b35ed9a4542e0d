import type { EnvelopeAddress } from './envelope-address.js';
import type { RecipientReply } from './errors.js';
import type { Reply } from './reply.js';

/** The RCPT replies of one transaction, sorted by what happens to each recipient next. */
export interface SortedRecipients {
  accepted: RecipientReply[];
  rejected: RecipientReply[];
  deferred: EnvelopeAddress[];
  /** The reply that deferred the first deferred recipient, to report if deferral stalls. */
  deferredReplies: RecipientReply[];
}

/**
 * RFC 5321 4.5.3.1.10: a server that takes no more recipients in this transaction answers 452
 * (older ones 552); the client sends the rest in a new transaction. A 452 with a mailbox status
 * (RFC 3463 4.2.x, e.g. mailbox full) is about that recipient, not the count, and is not deferred;
 * a 552 counts only when it says "too many recipients" (5.5.3, or in words).
 */
export function isDeferral(reply: Reply): boolean {
  if (reply.code === 452) return !(reply.enhancedCode ?? '').startsWith('4.2.');
  if (reply.code !== 552) return false;
  return reply.enhancedCode === '5.5.3' || /too many recipients/i.test(reply.lines.join(' '));
}

/** Pairs each recipient with its reply: 2yz accepted, a deferral deferred, anything else refused. */
export function sortRecipientReplies(
  recipients: readonly EnvelopeAddress[],
  replies: readonly Reply[],
): SortedRecipients {
  const sorted: SortedRecipients = {
    accepted: [],
    rejected: [],
    deferred: [],
    deferredReplies: [],
  };
  recipients.forEach((recipient, index) => {
    const reply = replies[index];
    if (reply === undefined) return;
    const entry = { address: recipient.wire, reply };
    if (reply.code >= 200 && reply.code < 300) sorted.accepted.push(entry);
    else if (isDeferral(reply)) {
      sorted.deferred.push(recipient);
      sorted.deferredReplies.push(entry);
    } else sorted.rejected.push(entry);
  });
  return sorted;
}

/** The replies a transaction has read so far, filled in as they arrive. */
export interface HeardReplies {
  mail: Reply | undefined;
  /** One per RCPT read, in the order sent. */
  recipients: Reply[];
}

/**
 * The recipients refused among the replies heard before a transaction failed, which only the
 * error can still report. Nothing when MAIL was not accepted: a pipelined RCPT is then answered
 * 503 (RFC 2920 3.1: there is no transaction), which says nothing about the recipient. A 452
 * deferral is no refusal either: the recipient shares the failure of the send.
 */
export function refusalsHeard(
  recipients: readonly EnvelopeAddress[],
  heard: HeardReplies,
): RecipientReply[] {
  const mail = heard.mail;
  if (mail === undefined || mail.code < 200 || mail.code >= 300) return [];
  return sortRecipientReplies(recipients, heard.recipients).rejected;
}

/**
 * The top-level header fields of a composed message (RFC 5322 section 3.6), written in a fixed
 * order through `HeaderBlock`, which refuses anything that could break a line.
 */

import type { Mailbox } from './address.js';
import { formatDate } from './date.js';
import { MimeInputError } from './errors.js';
import { HeaderBlock, normaliseSubject } from './header.js';
import type { MessageInput } from './message-input.js';
import { quoteValue } from './quoted-value.js';

/** The parsed address fields of a message. */
export interface MessageAddresses {
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  replyTo: Mailbox[];
}

/**
 * Fields the composer writes itself, with the input to use instead. An extra header with one
 * of these names would duplicate or contradict the message's structure.
 */
const RESERVED_HEADERS: ReadonlyMap<string, string> = new Map([
  ['from', 'the from input'],
  ['to', 'the to input'],
  ['cc', 'the cc input'],
  ['bcc', 'the bcc input (Bcc is never written into the message)'],
  ['reply-to', 'the replyTo input'],
  ['subject', 'the subject input'],
  ['date', 'nothing: it is set from the clock when the message is composed'],
  ['message-id', 'messageIdDomain to choose its domain; the id itself is random'],
  ['in-reply-to', 'the inReplyTo input'],
  ['references', 'the references input'],
  ['mime-version', 'nothing: it is always 1.0'],
  ['x-priority', 'the priority input'],
  ['importance', 'the priority input'],
  ['auto-submitted', 'nothing: it is always auto-generated (RFC 3834)'],
  ['sender', 'the from input; a separate Sender is not supported'],
  ['return-path', 'nothing: the receiving server adds it from the envelope'],
  ['received', 'nothing: servers add it in transit'],
]);

/**
 * RFC 5322 3.6.4 msg-id: `<id-left@id-right>`, each side dot-atom-text (atext and dots; dots
 * are not checked for position, as some mailers write `..`), or a no-fold-literal `[...]` on the
 * right. Specials are refused: a `(` starts a comment and a `,` or `"` splits a list for some
 * readers, so two programs could read different ids.
 */
const ID_TEXT = String.raw`[A-Za-z0-9!#$%&'*+/=?^_\x60{|}~.-]+`;
const MESSAGE_ID = new RegExp(String.raw`^<${ID_TEXT}@(?:${ID_TEXT}|\[[\x21-\x5a\x5e-\x7e]*\])>$`);

/** X-Priority (a de facto 1-5 scale) and Importance (RFC 2156 5.3.4) per priority. */
const PRIORITY_HEADERS = {
  high: { xPriority: '1', importance: 'high' },
  normal: { xPriority: '3', importance: 'normal' },
  low: { xPriority: '5', importance: 'low' },
} as const;

/** Builds the message's header block; Content-* fields are added by the body's entity. */
export function buildMessageHeaders(
  input: MessageInput,
  addresses: MessageAddresses,
  messageId: string,
  date: Date,
): HeaderBlock {
  const block = new HeaderBlock();
  block.setAddresses('From', [addresses.from]);
  if (addresses.to.length > 0) block.setAddresses('To', addresses.to);
  if (addresses.cc.length > 0) block.setAddresses('Cc', addresses.cc);
  if (addresses.replyTo.length > 0) block.setAddresses('Reply-To', addresses.replyTo);
  if (input.subject !== undefined) block.setText('Subject', normaliseSubject(input.subject));
  block.setStructured('Date', formatDate(date));
  block.setStructured('Message-ID', messageId);
  block.setStructured('MIME-Version', '1.0');
  if (input.inReplyTo !== undefined) {
    block.setStructured('In-Reply-To', checkMessageId(input.inReplyTo, 'inReplyTo'));
  }
  if (input.references !== undefined && input.references.length > 0) {
    const ids = input.references.map((id, i) => checkMessageId(id, `references[${i}]`));
    block.setStructured('References', ids.join(' '));
  }
  if (input.priority !== undefined) {
    const { xPriority, importance } = PRIORITY_HEADERS[input.priority];
    block.setStructured('X-Priority', xPriority);
    block.setStructured('Importance', importance);
  }
  // RFC 3834 5: a message sent by a program, not a person; auto-responders should not answer.
  block.setStructured('Auto-Submitted', 'auto-generated');
  for (const [i, [name, value]] of (input.headers ?? []).entries()) {
    checkExtraHeaderName(name, `headers[${i}]`);
    block.setText(name, value);
  }
  return block;
}

/** RFC 5322 3.6.4: `<id-left@id-right>`, angle brackets included. */
export function isMessageId(id: string): boolean {
  return MESSAGE_ID.test(id);
}

function checkMessageId(id: string, field: string): string {
  const trimmed = id.trim();
  if (!MESSAGE_ID.test(trimmed)) {
    throw new MimeInputError(
      field,
      `${quoteValue(id)} is not a message id; expected <id@domain> as in a Message-ID ` +
        'header, angle brackets included (RFC 5322 3.6.4).',
    );
  }
  return trimmed;
}

function checkExtraHeaderName(name: string, field: string): void {
  const key = name.toLowerCase();
  const instead = key.startsWith('content-')
    ? 'text, html, attachments or inline: the composer writes every Content-* field'
    : RESERVED_HEADERS.get(key);
  if (instead !== undefined) {
    throw new MimeInputError(
      field,
      `the ${name} header is written by the composer and cannot be set here; use ${instead}.`,
    );
  }
}

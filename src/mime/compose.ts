/**
 * `composeMessage`: from a message as a user describes it to the exact bytes for SMTP DATA and
 * the envelope to send them with.
 */

import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { parseAddressList, parseMailbox, type Mailbox } from './address.js';
import { createMessageId } from './date.js';
import { toAsciiDomain } from './domain.js';
import { concatenateChunks, endsWithLineBreak, type BodyChunk } from './entity.js';
import { MimeInputError } from './errors.js';
import { buildMessageBody } from './message-body.js';
import { buildMessageHeaders, type MessageAddresses } from './message-headers.js';
import type { ComposedMessage, ComposeOptions, MessageInput } from './message-input.js';

const utf8 = new TextEncoder();
const CRLF = utf8.encode('\r\n');

/**
 * Composes a message. The result is 7-bit clean except for header addresses that need SMTPUTF8
 * (RFC 6532), and identical for the same input, clock and random source. Chunks are gathered
 * and copied once into a buffer of the exact size, and base64 parts are encoded straight into
 * it, so a 25 MB attachment costs its input plus the finished message, nothing in between.
 */
export function composeMessage(input: MessageInput, options: ComposeOptions = {}): ComposedMessage {
  const randomBytes = options.randomBytes ?? ((size: number) => cryptoRandomBytes(size));
  const now = options.now ?? (() => new Date());
  const addresses = parseMessageAddresses(input);
  const recipients = collectRecipients(addresses);
  checkHasContent(input);
  const idDomain =
    input.messageIdDomain === undefined
      ? domainOf(addresses.from.address)
      : toAsciiDomain(input.messageIdDomain, 'messageIdDomain');
  const messageId = createMessageId(idDomain, randomBytes);
  const headers = buildMessageHeaders(input, addresses, messageId, now());
  const body = buildMessageBody(input, randomBytes);
  const chunks: BodyChunk[] = [
    utf8.encode(`${headers.toString()}${body.headers}\r\n`),
    ...body.body,
  ];
  // SMTP DATA ends the message with CRLF "." CRLF (RFC 5321 4.1.1.4); ending the message on a
  // full line keeps `size` exact, as the client adds nothing.
  if (!endsWithLineBreak(body.body)) chunks.push(CRLF);
  const bytes = concatenateChunks(chunks);
  const all = [addresses.from, ...recipients, ...addresses.replyTo];
  return {
    bytes,
    size: bytes.length,
    messageId,
    envelope: {
      from: addresses.from.address,
      to: recipients.map((mailbox) => mailbox.address),
      smtpUtf8: all.some((mailbox) => mailbox.needsSmtpUtf8),
    },
    eightBit: false,
  };
}

function parseMessageAddresses(input: MessageInput): MessageAddresses {
  const list = (value: string | undefined, field: string): Mailbox[] =>
    value === undefined ? [] : parseAddressList(value, field);
  return {
    from: parseMailbox(input.from, 'from'),
    to: list(input.to, 'to'),
    cc: list(input.cc, 'cc'),
    bcc: list(input.bcc, 'bcc'),
    replyTo: list(input.replyTo, 'replyTo'),
  };
}

/**
 * To, Cc and Bcc in order, each address once. The domain compares without case (RFC 5321
 * 2.4); the local part as written, since only the receiving server may fold its case.
 */
function collectRecipients(addresses: MessageAddresses): Mailbox[] {
  const seen = new Set<string>();
  const recipients: Mailbox[] = [];
  for (const mailbox of [...addresses.to, ...addresses.cc, ...addresses.bcc]) {
    const at = mailbox.address.lastIndexOf('@');
    const key = `${mailbox.address.slice(0, at)}@${mailbox.address.slice(at + 1).toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push(mailbox);
  }
  if (recipients.length === 0) {
    throw new MimeInputError(
      'to',
      'no recipient given; put at least one address in to, cc or bcc.',
    );
  }
  return recipients;
}

function checkHasContent(input: MessageInput): void {
  const hasBody = input.text !== undefined || input.html !== undefined;
  if (!hasBody && (input.attachments ?? []).length === 0) {
    throw new MimeInputError(
      'text',
      'the message has no content; give text or html (an empty text is allowed), or an attachment.',
    );
  }
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

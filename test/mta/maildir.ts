import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The mailboxes `setup.sh` maps in Postfix's virtual_mailbox_maps. */
export type Mailbox = 'inbox' | 'other';

/** A marker unique to one test, put in the Message-ID and Subject so its delivery can be found. */
export function createToken(): string {
  return `mta-${randomUUID()}`;
}

async function listNew(maildir: string, mailbox: Mailbox): Promise<string[]> {
  try {
    return await readdir(join(maildir, mailbox, 'new'));
  } catch (error) {
    // Postfix creates the Maildir on first delivery.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every message in `mailbox/new` whose bytes contain `token`. */
export async function findDelivered(
  maildir: string,
  mailbox: Mailbox,
  token: string,
): Promise<Buffer[]> {
  const found: Buffer[] = [];
  for (const name of await listNew(maildir, mailbox)) {
    const bytes = await readFile(join(maildir, mailbox, 'new', name));
    if (bytes.includes(token)) found.push(bytes);
  }
  return found;
}

/**
 * Polls `mailbox/new` until the message carrying `token` arrives; delivery by Postfix's queue
 * manager is asynchronous to the 250 after the final dot. Fails after `timeoutMs`.
 */
export async function waitForDelivery(
  maildir: string,
  mailbox: Mailbox,
  token: string,
  timeoutMs = 10_000,
): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await findDelivered(maildir, mailbox, token);
    if (found.length > 1) throw new Error(`${found.length} messages with ${token} in ${mailbox}`);
    if (found[0] !== undefined) return found[0];
    if (Date.now() > deadline) {
      throw new Error(`no message with ${token} arrived in ${mailbox}/new within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits long enough for a queued message to be delivered, then says whether one was. */
export async function wasDelivered(maildir: string, mailbox: Mailbox, token: string) {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  return (await findDelivered(maildir, mailbox, token)).length > 0;
}

/** The header fields Postfix's virtual(8) and smtpd(8) put in front of a delivered message. */
const prependedFields = /^(Return-Path|X-Original-To|Delivered-To|Received):/i;

export interface DeliveredMessage {
  /** The prepended header fields, each unfolded onto one line. */
  prepended: string[];
  /** Everything after them: the message as the client sent it, with LF line endings. */
  rest: string;
}

/**
 * Splits a Maildir file into what Postfix prepended and what the client sent. Only whole
 * fields named in `prependedFields` are taken, with their folded continuation lines (RFC 5322
 * 2.2.3), and only from the top, so a change anywhere in the sent message stays in `rest`.
 */
export function splitDelivered(bytes: Buffer): DeliveredMessage {
  const lines = bytes.toString('latin1').split('\n');
  const prepended: string[] = [];
  let index = 0;
  while (index < lines.length && prependedFields.test(lines[index] ?? '')) {
    let field = lines[index] ?? '';
    index += 1;
    while (/^[ \t]/.test(lines[index] ?? '')) {
      field += `\n${lines[index] ?? ''}`;
      index += 1;
    }
    prepended.push(field);
  }
  return { prepended, rest: lines.slice(index).join('\n') };
}

/** The bytes of `message` as a Maildir stores them: CRLF becomes LF, read back as latin1. */
export function asStored(message: Uint8Array): string {
  return Buffer.from(message).toString('latin1').replaceAll('\r\n', '\n');
}

/** A complete RFC 5322 message with CRLF line endings, findable by `token`. */
export function buildMessage(
  token: string,
  options: { to?: string; body?: string[]; headers?: string[] } = {},
): Uint8Array {
  const lines = [
    'From: Tester <tester@smtp-notify.test>',
    `To: ${options.to ?? 'inbox@smtp-notify.test'}`,
    `Subject: ${token}`,
    'Date: Fri, 27 Nov 2026 12:00:00 +0000',
    `Message-ID: <${token}@smtp-notify.test>`,
    ...(options.headers ?? []),
    '',
    ...(options.body ?? ['Hello from the MTA tests.']),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

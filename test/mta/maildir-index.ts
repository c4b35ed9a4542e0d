/**
 * Counting a Maildir's messages by Message-ID, for tests that send many at once: one read of
 * each new file, where `findDelivered` per token would read every file once per token.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageIdOf } from '../reliability/load-server.js';
import type { Mailbox } from './maildir.js';

/**
 * How many messages in `mailbox/new` carry each Message-ID, among the files delivered at or
 * after `sinceMs`: a Maildir file's name starts with its delivery time in seconds (maildir(5)),
 * so older runs' messages are not read at all.
 */
export async function countByMessageId(
  maildir: string,
  mailbox: Mailbox,
  sinceMs: number,
): Promise<Map<string, number>> {
  const folder = join(maildir, mailbox, 'new');
  const since = Math.floor(sinceMs / 1000);
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const counts = new Map<string, number>();
  for (const name of names.filter((entry) => Number.parseInt(entry, 10) >= since)) {
    const id = messageIdOf(await readFile(join(folder, name))) ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

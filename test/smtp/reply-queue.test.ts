// ReplyQueue feeds its parser a line at a time (so replies completed before a malformed line are
// kept): checks that chunk boundaries anywhere give the same replies, and that a large chunk of
// many replies comes out whole and in order.
import { describe, expect, it } from 'vitest';
import type { ReplyQueue } from '../../src/smtp/reply-queue.js';
import { recordingQueue } from '../helpers/recording-queue.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');
const read = (queue: ReplyQueue) =>
  queue.read({ phase: 'mail', command: 'MAIL FROM:<a@b>', timeoutMs: 1_000 });

describe('ReplyQueue, a line at a time', () => {
  it('joins a CRLF split between two chunks into one line', async () => {
    const { queue, failures } = recordingQueue();
    queue.push(bytes('250 2.1.0 ok\r'));
    expect(queue.unread).toBe('fragment');
    queue.push(bytes('\n354 go\r\n'));
    expect(await read(queue)).toEqual({ code: 250, enhancedCode: '2.1.0', lines: ['2.1.0 ok'] });
    expect((await read(queue)).code).toBe(354);
    expect(failures).toEqual([]);
  });

  it('builds one reply from lines that arrive in separate chunks', async () => {
    const { queue } = recordingQueue();
    queue.push(bytes('250-mx.test\r\n'));
    expect(queue.queuedCount).toBe(0);
    queue.push(bytes('250-PIPE'));
    queue.push(bytes('LINING\r\n250 8BITMIME\r\n'));
    expect(await read(queue)).toEqual({
      code: 250,
      lines: ['mx.test', 'PIPELINING', '8BITMIME'],
    });
  });

  it('queues every reply of a 64 KiB chunk, in order', () => {
    const { queue, seen, failures } = recordingQueue();
    const count = 8_192; // "250 ok\r\n" is 8 octets: 64 KiB in one push
    queue.push(bytes('250 ok\r\n'.repeat(count)));
    expect(failures).toEqual([]);
    expect(seen).toHaveLength(count);
    expect(queue.queuedCount).toBe(count);
  });

  it('keeps the replies before a malformed line in the same chunk, then fails', async () => {
    const { queue, failures } = recordingQueue();
    queue.push(bytes('250 2.0.0 queued\r\n250 ok\r\nnot a reply\r\n221 bye\r\n'));
    expect(failures).toHaveLength(1);
    expect((await read(queue)).lines).toEqual(['2.0.0 queued']);
    expect((await read(queue)).lines).toEqual(['ok']);
    await expect(read(queue)).rejects.toThrow();
  });
});

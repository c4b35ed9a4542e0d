import type { Reply } from '../../src/smtp/reply.js';
import { ReplyQueue } from '../../src/smtp/reply-queue.js';

/** A ReplyQueue with no socket behind it, whose hooks record what it reports. */
export function recordingQueue(): { queue: ReplyQueue; seen: Reply[]; failures: unknown[] } {
  const seen: Reply[] = [];
  const failures: unknown[] = [];
  const queue = new ReplyQueue({
    onReply: (reply) => seen.push(reply),
    onFailure: (cause) => failures.push(cause),
    describe: () => ({ endpoint: '127.0.0.1:25', port: 25, mode: 'none' }),
  });
  return { queue, seen, failures };
}

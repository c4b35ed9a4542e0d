// Issue 6, part 1: a server that reads the message content very slowly. One that keeps taking
// data, however slowly, must get the whole message; one that stops taking it must end the send
// with a timeout that names the content and leaves nothing delivered. Never a hang either way.
// Overlap: none; test/smtp/session-faults.test.ts drops the connection during the content, which
// is covered in server-transaction.test.ts.
import { describe, expect, it } from 'vitest';
import { SmtpTimeoutError, type Timeouts } from '../../src/smtp/index.js';
import {
  faultSend,
  faultServer,
  largeMessage,
  sendFailure,
  sendSuccess,
  shortTimeouts,
} from './server-fixtures.js';

/**
 * `dataBlock` as given; the final reply waits longer, since the socket buffers still hold
 * megabytes for the slow reader when the dot goes out.
 */
const dataBlock = (ms: number): Partial<Timeouts> => ({
  ...shortTimeouts,
  dataBlock: ms,
  finalReply: 5_000,
});

describe('a server that reads the content very slowly', () => {
  it('but steadily (a pause after every read) gets the whole message, once', async () => {
    // Every read (up to 64 KiB) is followed by 5 ms of not reading: the server never stops
    // taking data for as long as dataBlock, but the whole message takes longer than that.
    const server = await faultServer({ faults: [{ at: 'DATA', action: { slowRead: 5 } }] });
    const message = largeMessage(14);
    const options = faultSend(server.port, { message, timeouts: dataBlock(600) });
    const started = Date.now();
    const result = await sendSuccess('slow but steady reader', options);
    expect(Date.now() - started).toBeGreaterThan(600);
    expect(result.accepted.map((r) => r.address)).toEqual(['dev@example.com']);
    expect(server.accepted).toHaveLength(1);
    expect(server.accepted[0]?.equals(message)).toBe(true);
  });

  it('and then not at all: a timeout naming the content, nothing delivered', async () => {
    const server = await faultServer({ faults: [{ at: 'DATA', action: { slowRead: 5_000 } }] });
    const options = faultSend(server.port, { message: largeMessage(16), timeouts: dataBlock(300) });
    const error = await sendFailure('reader that stops', options);
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.phase).toBe('message');
    expect(error.transient).toBe(true);
    expect(error.outcome).toBe('not-delivered');
    expect(error.message).toMatch(/took no data for 300 ms during message \(the message content\)/);
    // The client gave up before the final dot: the server has no complete message.
    expect(server.connections[0]?.contents).toEqual([]);
    expect(server.accepted).toEqual([]);
  });
});

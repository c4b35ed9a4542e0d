// Issue 6 part 4: the reply parser and the reply queue under arbitrary bytes from the server,
// split at arbitrary points: replies or a typed error, the same whatever the split, and a bound
// on what is buffered (RFC 5321 4.2, 4.5.3.1.5).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmtpError, SmtpProtocolError } from '../../src/smtp/errors.js';
import { formatReply } from '../../src/smtp/reply-text.js';
import {
  DEFAULT_REPLY_LIMITS,
  ReplyFormatError,
  ReplyParser,
  type Reply,
} from '../../src/smtp/reply.js';
import { UNPRINTABLE, bytesOf, cutPoints, splitAt, useErrorCapture } from './arbitraries.js';
import { recordingQueue } from '../helpers/recording-queue.js';

const capture = useErrorCapture('fuzz-reply: parser and queue errors');

interface Outcome {
  replies: Reply[];
  error?: string;
}

/** Feeds the chunks in order; stops at the first error, which must be a ReplyFormatError. */
function feed(chunks: readonly Uint8Array[], parser = new ReplyParser()): Outcome {
  const replies: Reply[] = [];
  for (const chunk of chunks) {
    try {
      replies.push(...parser.push(chunk));
    } catch (error) {
      capture(error);
      expect(error).toBeInstanceOf(ReplyFormatError);
      expect(error).toBeInstanceOf(SmtpProtocolError);
      expect((error as Error).message).not.toMatch(UNPRINTABLE);
      return { replies, error: (error as Error).message };
    }
  }
  return { replies };
}

/** One byte at a time: every reply is handed out as soon as its last line is complete. */
const byteByByte = (bytes: Uint8Array): Outcome =>
  feed(Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)));

/** Bytes a server might send: reply-ish lines, broken lines, bare CR/LF, NUL, invalid UTF-8. */
const serverBytes = fc
  .array(
    fc.oneof(
      {
        weight: 10,
        arbitrary: fc.constantFrom(
          '250',
          '250-',
          '250 ',
          '220 ok',
          '550-5.1.1 x',
          '354',
          '999 ',
          '2',
          '25',
        ),
      },
      {
        weight: 10,
        arbitrary: fc.constantFrom('\r\n', '\n', '\r', '\u0000', '\u2028', '\u760d', ' ', '-', 'é'),
      },
      { weight: 10, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
      // Around the 2048-octet line cap, rarely: the cap must hit alike however it is split.
      { weight: 1, arbitrary: fc.integer({ min: 2040, max: 2050 }).map((n) => 'x'.repeat(n)) },
    ),
    { maxLength: 40 },
  )
  .map((pieces) => bytesOf(pieces.join('')))
  .chain((text) =>
    fc
      .uint8Array({ maxLength: 6 })
      .chain((raw) => fc.nat(text.length).map((at) => insertAt(text, raw, at))),
  );

/** `raw` (arbitrary octets, often invalid UTF-8) inserted into `bytes` at `at`. */
function insertAt(bytes: Uint8Array, raw: Uint8Array, at: number): Uint8Array {
  return Uint8Array.from([...bytes.subarray(0, at), ...raw, ...bytes.subarray(at)]);
}

/** Reply text a server may send: anything but CR and LF (NUL and C1 included). */
const replyText = fc
  .string({ unit: 'grapheme', maxLength: 30 })
  .map((text) => text.replace(/[\r\n]/g, ''));

const wellFormedReply = fc.record({
  code: fc.integer({ min: 200, max: 559 }).filter((code) => code % 100 < 60),
  lines: fc.array(replyText, { minLength: 1, maxLength: 5 }),
  lf: fc.boolean(),
});

function serialise(reply: { code: number; lines: string[]; lf: boolean }): string {
  const end = reply.lf ? '\n' : '\r\n';
  return reply.lines
    .map((line, i) => `${reply.code}${i === reply.lines.length - 1 ? ' ' : '-'}${line}${end}`)
    .join('');
}

describe('ReplyParser on arbitrary bytes', () => {
  it('gives the same replies and the same error whatever the split (property, 400 runs)', () => {
    fc.assert(
      fc.property(serverBytes, cutPoints(), (bytes, cuts) => {
        const reference = byteByByte(bytes);
        const split = feed(splitAt(bytes, cuts));
        expect(split.error).toBe(reference.error);
        // A chunk that ends in an error hands out none of the replies it completed.
        expect(reference.replies.slice(0, split.replies.length)).toEqual(split.replies);
        if (split.error === undefined) expect(split.replies).toEqual(reference.replies);
      }),
      { numRuns: 400 },
    );
  });

  it('gives back every well-formed reply, split anywhere (property, 300 runs)', () => {
    fc.assert(
      fc.property(fc.array(wellFormedReply, { maxLength: 6 }), cutPoints(), (replies, cuts) => {
        const bytes = bytesOf(replies.map(serialise).join(''));
        const parser = new ReplyParser();
        const outcome = feed(splitAt(bytes, cuts), parser);
        expect(outcome.error).toBeUndefined();
        expect(parser.hasPendingBytes).toBe(false);
        expect(outcome.replies.map(({ code, lines }) => ({ code, lines }))).toEqual(
          replies.map(({ code, lines }) => ({ code, lines })),
        );
        // What a person sees of a reply is one printable line, whatever the server put in it.
        for (const reply of outcome.replies) expect(formatReply(reply)).not.toMatch(UNPRINTABLE);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a CR that does not end a line, wherever it sits (property, 200 runs)', () => {
    fc.assert(
      fc.property(wellFormedReply, fc.nat(), cutPoints(), (reply, where, cuts) => {
        const text = serialise({ ...reply, lf: false });
        // Any position before the final CRLF, but after the code.
        const at = 3 + (where % (text.length - 5));
        const bytes = bytesOf(`${text.slice(0, at)}\r${text.slice(at)}`);
        const outcome = feed(splitAt(bytes, cuts));
        expect(outcome.error).toMatch(/bare CR|does not start|not followed/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('ReplyParser: bounded memory', () => {
  const chunk = new Uint8Array(64 * 1024).fill(0x41);

  it('fails a 10 MB line without a line end within the line cap, then stays failed', () => {
    const parser = new ReplyParser();
    let pushed = 0;
    let failure: unknown;
    while (pushed < 10 * 1024 * 1024 && failure === undefined) {
      try {
        parser.push(pushed === 0 ? bytesOf('250 ') : chunk);
        pushed += pushed === 0 ? 4 : chunk.length;
      } catch (error) {
        failure = error;
      }
    }
    capture(failure);
    expect(failure).toBeInstanceOf(ReplyFormatError);
    expect(String(failure)).toContain(`line longer than ${DEFAULT_REPLY_LIMITS.maxLineLength}`);
    // It stopped at the first chunk that crossed the cap, not after buffering 10 MB.
    expect(pushed).toBeLessThanOrEqual(DEFAULT_REPLY_LIMITS.maxLineLength);
    expect(() => parser.push(bytesOf('250 OK\r\n'))).toThrow(ReplyFormatError);
  });

  it('fails 10 MB of continuation lines at the reply size or line-count cap', () => {
    const parser = new ReplyParser();
    const lines = bytesOf('250-continuing forever and ever\r\n'.repeat(2000));
    let pushed = 0;
    let failure: unknown;
    while (pushed < 10 * 1024 * 1024 && failure === undefined) {
      try {
        expect(parser.push(lines)).toEqual([]);
        pushed += lines.length;
      } catch (error) {
        failure = error;
      }
    }
    capture(failure);
    expect(failure).toBeInstanceOf(ReplyFormatError);
    expect(String(failure)).toMatch(/more than \d+ lines|larger than \d+ octets/);
    expect(pushed).toBeLessThanOrEqual(DEFAULT_REPLY_LIMITS.maxReplySize);
  });

  it('caps any unended stream at the line limit, chunked any way (property, 100 runs)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }).filter((b) => !b.includes(0x0a)),
        fc.integer({ min: 1, max: 4096 }),
        (pattern, chunkSize) => {
          const stream = new Uint8Array(3 * DEFAULT_REPLY_LIMITS.maxLineLength);
          for (let i = 0; i < stream.length; i += 1) stream[i] = pattern[i % pattern.length] ?? 0;
          const chunks = [];
          for (let at = 0; at < stream.length; at += chunkSize) {
            chunks.push(stream.subarray(at, at + chunkSize));
          }
          const outcome = feed(chunks);
          expect(outcome.replies).toEqual([]);
          expect(outcome.error).toMatch(/line longer than/);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('ReplyQueue on arbitrary bytes', () => {
  it('never throws from push; every read ends in a reply or a typed SmtpError (property, 200 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(serverBytes, cutPoints(), async (bytes, cuts) => {
        const { queue, seen, failures } = recordingQueue();
        for (const chunk of splitAt(bytes, cuts)) expect(() => queue.push(chunk)).not.toThrow();
        queue.end();
        const read: Reply[] = [];
        for (;;) {
          try {
            read.push(await queue.read({ phase: 'ehlo', command: 'EHLO x', timeoutMs: 1_000 }));
          } catch (error) {
            capture(error);
            expect(error).toBeInstanceOf(SmtpError);
            expect((error as Error).message).not.toMatch(UNPRINTABLE);
            break;
          }
        }
        expect(read).toEqual(seen);
        expect(failures.length).toBeLessThanOrEqual(1);
        expect(byteByByte(bytes).error === undefined).toBe(failures.length === 0);
      }),
      { numRuns: 200 },
    );
  });
});

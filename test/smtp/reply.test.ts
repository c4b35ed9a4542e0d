import { describe, expect, it } from 'vitest';
import { SmtpProtocolError } from '../../src/smtp/errors.js';
import {
  ReplyFormatError,
  ReplyParser,
  parseEnhancedCode,
  type Reply,
} from '../../src/smtp/reply.js';
import { formatReply } from '../../src/smtp/reply-text.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function parseAll(text: string, parser = new ReplyParser()): Reply[] {
  return parser.push(bytes(text));
}

/** Feeds `input` split at `at` and returns every reply, checking nothing is left over. */
function parseSplit(input: Uint8Array, at: number): Reply[] {
  const parser = new ReplyParser();
  const replies = [...parser.push(input.subarray(0, at)), ...parser.push(input.subarray(at))];
  expect(parser.hasPendingBytes).toBe(false);
  return replies;
}

describe('ReplyParser: well-formed replies', () => {
  const cases: [string, string, Reply[]][] = [
    [
      'single line',
      '220 mail.example.com ESMTP\r\n',
      [{ code: 220, lines: ['mail.example.com ESMTP'] }],
    ],
    ['code alone', '250\r\n', [{ code: 250, lines: [''] }]],
    ['code and space', '250 \r\n', [{ code: 250, lines: [''] }]],
    ['bare LF accepted', '250 OK\n', [{ code: 250, lines: ['OK'] }]],
    [
      'multi-line',
      '250-mail.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n',
      [{ code: 250, lines: ['mail.example.com', 'PIPELINING', '8BITMIME'] }],
    ],
    ['continuation without text', '250-\r\n250 done\r\n', [{ code: 250, lines: ['', 'done'] }]],
    [
      'two replies in one chunk',
      '250 OK\r\n354 Go ahead\r\n',
      [
        { code: 250, lines: ['OK'] },
        { code: 354, lines: ['Go ahead'] },
      ],
    ],
    [
      'enhanced code from the first line',
      '550-5.1.1 User unknown\r\n550 5.1.1 see https://example.com\r\n',
      [
        {
          code: 550,
          enhancedCode: '5.1.1',
          lines: ['5.1.1 User unknown', '5.1.1 see https://example.com'],
        },
      ],
    ],
    ['UTF-8 text', '250 Grüße, 東京\r\n', [{ code: 250, lines: ['Grüße, 東京'] }]],
    ['tab kept in text', '250 a\tb\r\n', [{ code: 250, lines: ['a\tb'] }]],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    const parser = new ReplyParser();
    expect(parseAll(input, parser)).toEqual(expected);
    expect(parser.hasPendingBytes).toBe(false);
  });

  it('returns nothing until a reply is complete', () => {
    const parser = new ReplyParser();
    expect(parser.hasPendingBytes).toBe(false);
    expect(parseAll('250-first\r\n', parser)).toEqual([]);
    expect(parser.hasPendingBytes).toBe(true);
    expect(parseAll('250 la', parser)).toEqual([]);
    expect(parser.hasPendingBytes).toBe(true);
    expect(parseAll('st\r\n', parser)).toEqual([{ code: 250, lines: ['first', 'last'] }]);
    expect(parser.hasPendingBytes).toBe(false);
  });

  it('reports bytes buffered after a complete reply (STARTTLS injection check)', () => {
    const parser = new ReplyParser();
    expect(parseAll('220 Ready to start TLS\r\nRSET', parser)).toHaveLength(1);
    expect(parser.hasPendingBytes).toBe(true);
  });

  it('holds a CR at the end of a chunk until the next byte decides', () => {
    const parser = new ReplyParser();
    expect(parseAll('250 OK\r', parser)).toEqual([]);
    expect(parser.hasPendingBytes).toBe(true);
    expect(parseAll('\n', parser)).toEqual([{ code: 250, lines: ['OK'] }]);
  });

  it('keeps a UTF-8 character split across chunks intact', () => {
    const input = bytes('250 東京\r\n');
    for (let at = 0; at <= input.length; at++) {
      expect(parseSplit(input, at)).toEqual([{ code: 250, lines: ['東京'] }]);
    }
  });

  it('does not keep a reference to the caller’s buffer', () => {
    const parser = new ReplyParser();
    const chunk = bytes('250 abc');
    parser.push(chunk);
    chunk.fill(0x41);
    expect(parser.push(bytes('\r\n'))).toEqual([{ code: 250, lines: ['abc'] }]);
  });
});

describe('ReplyParser: every split position', () => {
  const inputs: [string, string, Reply[]][] = [
    [
      'CRLF multi-line with enhanced codes',
      '250-smtp.example.com at your service\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n' +
        '250 2.0.0 done\r\n221 2.0.0 Bye\r\n',
      [
        {
          code: 250,
          lines: ['smtp.example.com at your service', 'SIZE 35882577', '8BITMIME', '2.0.0 done'],
        },
        { code: 221, enhancedCode: '2.0.0', lines: ['2.0.0 Bye'] },
      ],
    ],
    [
      'mixed CRLF and LF',
      '250-one\n250-two\r\n250 three\n354 go\r\n',
      [
        { code: 250, lines: ['one', 'two', 'three'] },
        { code: 354, lines: ['go'] },
      ],
    ],
  ];
  it.each(inputs)('%s', (_name, text, expected) => {
    const input = bytes(text);
    for (let at = 0; at <= input.length; at++) {
      expect(parseSplit(input, at), `split at ${at}`).toEqual(expected);
    }
  });

  it('parses a reply fed one byte at a time', () => {
    const input = bytes('250-a\r\n250-b\n250 c\r\n');
    const parser = new ReplyParser();
    const replies = [...input].flatMap((byte) => parser.push(Uint8Array.of(byte)));
    expect(replies).toEqual([{ code: 250, lines: ['a', 'b', 'c'] }]);
  });
});

describe('ReplyParser: refusals', () => {
  const cases: [string, string, RegExp][] = [
    ['four-digit code', '2500 OK\r\n', /space or "-"/],
    ['letters', 'abc\r\n', /reply code/],
    ['first digit 6', '600 nope\r\n', /reply code/],
    ['first digit 1', '150 nope\r\n', /reply code/],
    ['second digit 6', '260 nope\r\n', /reply code/],
    ['two digits', '25\r\n', /reply code/],
    ['empty line', '\r\n', /reply code/],
    ['leading space', ' 250 OK\r\n', /reply code/],
    ['mismatched codes', '250-first\r\n251 second\r\n', /251 inside a 250/],
    ['mismatch in the middle', '250-a\r\n550-b\r\n250 c\r\n', /550 inside a 250/],
    ['lone CR inside a line', '250 OK\r250 injected\r\n', /bare CR/],
    ['CR CR LF', '250 OK\r\r\n', /bare CR/],
  ];
  it.each(cases)('%s', (_name, input, message) => {
    const parser = new ReplyParser();
    expect(() => parseAll(input, parser)).toThrow(message);
  });

  it('throws a ReplyFormatError, an SmtpProtocolError in the connect phase', () => {
    const error = catchError(() => parseAll('abc\r\n'));
    expect(error).toBeInstanceOf(ReplyFormatError);
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect((error as SmtpProtocolError).phase).toBe('connect');
  });

  it('quotes a bad line with its hidden characters escaped', () => {
    expect(() => parseAll('xyz\u2028::error::\u0085\r\n')).toThrow(
      'line does not start with a reply code: "xyz\\u2028::error::\\u0085"',
    );
  });

  it('ignores an explicit undefined limit rather than lifting the bound', () => {
    const parser = new ReplyParser({ maxLines: undefined, maxLineLength: 10 });
    expect(() => parseAll('250-x\r\n'.repeat(1001), parser)).toThrow(/more than 1000 lines/);
  });

  it('stays failed after a violation', () => {
    const parser = new ReplyParser();
    expect(() => parseAll('abc\r\n', parser)).toThrow(ReplyFormatError);
    expect(() => parseAll('250 OK\r\n', parser)).toThrow(ReplyFormatError);
  });

  it('refuses an endless line before its end arrives', () => {
    const parser = new ReplyParser();
    const chunk = bytes('250 ' + 'x'.repeat(1100));
    parser.push(chunk);
    expect(() => parser.push(chunk)).toThrow(/longer than 2048/);
  });

  it('accepts a line of exactly the limit and refuses one octet more', () => {
    const line = (length: number): string => '250 ' + 'x'.repeat(length - 6) + '\r\n';
    expect(parseAll(line(2048))).toHaveLength(1);
    expect(() => parseAll(line(2049))).toThrow(/longer than 2048/);
    expect(() => parseAll(line(100), new ReplyParser({ maxLineLength: 99 }))).toThrow(
      /longer than 99/,
    );
  });

  it('refuses too many lines', () => {
    const parser = new ReplyParser();
    expect(() => parseAll('250-x\r\n'.repeat(1001), parser)).toThrow(/more than 1000 lines/);
    expect(parseAll('250-x\r\n'.repeat(999) + '250 x\r\n')[0]?.lines).toHaveLength(1000);
    const small = new ReplyParser({ maxLines: 2 });
    expect(() => parseAll('250-a\r\n250-b\r\n250 c\r\n', small)).toThrow(/more than 2 lines/);
  });

  it('refuses a reply larger than the size cap', () => {
    const line = '250-' + 'y'.repeat(1000) + '\r\n';
    expect(() => parseAll(line.repeat(70))).toThrow(/larger than 65536/);
    const small = new ReplyParser({ maxReplySize: 20 });
    expect(() => parseAll('250-0123456789\r\n250 x\r\n', small)).toThrow(/larger than 20/);
  });
});

describe('parseEnhancedCode', () => {
  const cases: [string, number, string | undefined][] = [
    ['5.1.1 User unknown', 550, '5.1.1'],
    ['2.0.0', 250, '2.0.0'],
    ['4.7.0\tTry later', 421, '4.7.0'],
    ['2.123.456 ok', 250, '2.123.456'],
    ['5.7.1 class matches', 554, '5.7.1'],
    ['2.1.5 class differs', 550, undefined],
    ['3.0.0 class 3 does not exist', 354, undefined],
    ['5.1234.1 subject too long', 550, undefined],
    ['5.1.1234 detail too long', 550, undefined],
    ['5.1 too short', 550, undefined],
    ['5.1.1a glued to text', 550, undefined],
    [' 5.1.1 leading space', 550, undefined],
    ['User unknown', 550, undefined],
    ['', 250, undefined],
  ];
  it.each(cases)('%j with code %i', (text, code, expected) => {
    expect(parseEnhancedCode(text, code)).toBe(expected);
  });
});

describe('formatReply', () => {
  const cases: [Reply, string][] = [
    [{ code: 550, enhancedCode: '5.1.1', lines: ['5.1.1 User unknown'] }, '550 5.1.1 User unknown'],
    [{ code: 250, lines: ['first', 'second'] }, '250 first / 250 second'],
    [{ code: 250, lines: [''] }, '250'],
    [{ code: 250, lines: [] }, '250'],
    [
      { code: 550, lines: ['bad\u001b[31m', 'x\u2028::error::y'] },
      '550 bad\\u001b[31m / 550 x\\u2028::error::y',
    ],
  ];
  it.each(cases)('%j', (reply, expected) => {
    expect(formatReply(reply)).toBe(expected);
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

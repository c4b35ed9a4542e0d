// Issue 6 part 4: the EHLO parser (RFC 5321 4.1.1.1) under arbitrary server text: it never
// throws, reports only well-formed keywords, and a feature is on only when a line names it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEhlo, type Capabilities } from '../../src/smtp/capabilities.js';
import { ReplyFormatError, ReplyParser, type Reply } from '../../src/smtp/reply.js';
import { awkwardString, bytesOf, cutPoints, splitAt } from './arbitraries.js';

const FLAGS: [keyof Capabilities, string][] = [
  ['pipelining', 'PIPELINING'],
  ['eightBitMime', '8BITMIME'],
  ['smtpUtf8', 'SMTPUTF8'],
  ['enhancedStatusCodes', 'ENHANCEDSTATUSCODES'],
  ['dsn', 'DSN'],
  ['chunking', 'CHUNKING'],
  ['startTls', 'STARTTLS'],
];

const KNOWN = [...FLAGS.map(([, keyword]) => keyword), 'AUTH', 'SIZE'];

/** A keyword line a server may send, in any case, with parameters and odd spacing. */
const keywordLine = fc
  .tuple(
    fc.oneof(fc.constantFrom(...KNOWN), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,12}$/)),
    fc.array(
      fc.oneof(fc.constantFrom('PLAIN', 'login', '1000', '0', '-1', '1e3'), awkwardString(2)),
      {
        maxLength: 3,
      },
    ),
    fc.constantFrom(' ', '  ', '\t', '='),
    fc.boolean(),
  )
  .map(([keyword, params, gap, lower]) => {
    const word = lower ? keyword.toLowerCase() : keyword;
    return [word, ...params].join(gap);
  });

const ehloLines = fc.array(fc.oneof(keywordLine, awkwardString(6)), { maxLength: 12 });

/** The first word of a line by the RFC's grammar, upper case, `AUTH=` form included. */
function keywordOf(line: string): string | undefined {
  const word = line.trim().split(/[ \t]+/)[0] ?? '';
  const equals = word.indexOf('=');
  const keyword = equals > 0 ? word.slice(0, equals) : word;
  return /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(keyword) ? keyword.toUpperCase() : undefined;
}

function checkInvariants(reply: Reply, capabilities: Capabilities): void {
  const named = new Set(reply.lines.slice(1).map(keywordOf));
  for (const [flag, keyword] of FLAGS) expect(capabilities[flag]).toBe(named.has(keyword));
  for (const key of capabilities.keywords.keys()) {
    expect(key).toMatch(/^[A-Z0-9][A-Z0-9-]*$/);
    expect(named.has(key)).toBe(true);
  }
  expect(new Set(capabilities.auth).size).toBe(capabilities.auth.length);
  for (const mechanism of capabilities.auth) {
    expect(mechanism).toBe(mechanism.toUpperCase());
    expect(mechanism).not.toMatch(/[ \t]/);
  }
  if (capabilities.size !== undefined) {
    expect(Number.isSafeInteger(capabilities.size) && capabilities.size > 0).toBe(true);
  }
  expect(capabilities.domain).not.toMatch(/\s/);
}

describe('parseEhlo on arbitrary text', () => {
  it('never throws and turns a feature on only for a line that names it (property, 500 runs)', () => {
    fc.assert(
      fc.property(awkwardString(4), ehloLines, (greeting, lines) => {
        const reply: Reply = { code: 250, lines: [greeting, ...lines] };
        checkInvariants(reply, parseEhlo(reply));
      }),
      { numRuns: 500 },
    );
  });

  it('reads keywords smuggled nowhere: bytes through the reply parser first (property, 300 runs)', () => {
    fc.assert(
      fc.property(ehloLines, cutPoints(), (lines, cuts) => {
        // Lines as a server sends them; a CR or LF inside a line makes the reply malformed.
        const text = ['mail.example.com', ...lines]
          .map((line, i, all) => `250${i === all.length - 1 ? ' ' : '-'}${line}\r\n`)
          .join('');
        const parser = new ReplyParser();
        const replies: Reply[] = [];
        try {
          for (const chunk of splitAt(bytesOf(text), cuts)) replies.push(...parser.push(chunk));
        } catch (error) {
          // A malformed reply fails the connection; what came before it was read as usual.
          expect(error).toBeInstanceOf(ReplyFormatError);
        }
        // An LF inside a line may end the reply early; each part is one reply of its own.
        for (const reply of replies) checkInvariants(reply, parseEhlo(reply));
      }),
      { numRuns: 300 },
    );
  });

  it('reads back a generated keyword set in any case and spacing (property, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.subarray(KNOWN),
        fc.array(fc.constantFrom('PLAIN', 'LOGIN', 'cram-md5', 'XOAUTH2'), { maxLength: 4 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom(' ', '\t', '  '),
        (keywords, mechanisms, size, gap) => {
          const lines = keywords.map((keyword) => {
            if (keyword === 'AUTH') return ['auth', ...mechanisms].join(gap);
            if (keyword === 'SIZE') return `Size${gap}${size}`;
            return keyword.toLowerCase();
          });
          const capabilities = parseEhlo({ code: 250, lines: ['mx.example.com hi', ...lines] });
          expect([...capabilities.keywords.keys()].sort()).toEqual([...keywords].sort());
          expect(capabilities.size).toBe(keywords.includes('SIZE') ? size : undefined);
          const expectedAuth = keywords.includes('AUTH')
            ? [...new Set(mechanisms.map((m) => m.toUpperCase()))]
            : [];
          expect(capabilities.auth).toEqual(expectedAuth);
          expect(capabilities.domain).toBe('mx.example.com');
        },
      ),
      { numRuns: 300 },
    );
  });
});

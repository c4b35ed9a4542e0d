import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataEncoder, inspectMessage } from '../../src/smtp/data-encoder.js';

/** A whole message through one encoder, as the transaction sends it: content, then the end. */
function encodeData(message: Uint8Array): Uint8Array {
  const encoder = new DataEncoder();
  return Buffer.concat([encoder.push(message), encoder.end()]);
}

// Tests work on latin1 strings: one character per octet, so byte-level rules read plainly.
const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const text = (data: Uint8Array): string => Buffer.from(data).toString('latin1');

/** The rules written the obvious way, as the oracle. */
function reference(input: string): string {
  if (input === '') return '.\r\n';
  const normalised = input.replace(/\r\n|\r|\n/g, '\r\n');
  const stuffed = normalised.replace(/(^|\r\n)\./g, '$1..');
  return stuffed.endsWith('\r\n') ? `${stuffed}.\r\n` : `${stuffed}\r\n.\r\n`;
}

function encodeChunks(chunks: readonly Uint8Array[]): string {
  const encoder = new DataEncoder();
  return chunks.map((chunk) => text(encoder.push(chunk))).join('') + text(encoder.end());
}

const INPUTS: [string, string][] = [
  ['empty', ''],
  ['one open line', 'hello'],
  ['one closed line', 'hello\r\n'],
  ['LF dot LF', 'a\n.\nb'],
  ['CRLF dot CRLF', 'a\r\n.\r\nb'],
  ['CR dot CR', 'a\r.\rb'],
  ['LF dot CRLF', 'a\n.\r\nb'],
  ['CR dot LF', 'a\r.\nb'],
  ['CR CR LF', 'a\r\r\nb'],
  ['LF CR', 'a\n\rb'],
  ['lone CR and LF', '\r\n\r\r\n\n\r'],
  ['leading dot', '.hidden\r\n..double\r\n...'],
  ['only a dot', '.'],
  ['dot line at the end', 'x\r\n.'],
  ['dot CRLF', '.\r\n'],
  ['smuggling attempt', 'Subject: x\r\n\r\nbody\n.\r\nMAIL FROM:<evil@example.com>\r\n'],
  ['dots inside lines', 'a.b\r\nc..\r\n'],
  ['8-bit', 'gr\u00fc\u00dfe\n.\u00ff'],
];

describe('DataEncoder: fixed inputs', () => {
  const cases: [string, string][] = [
    ['', '.\r\n'],
    ['a', 'a\r\n.\r\n'],
    ['a\r\n', 'a\r\n.\r\n'],
    ['a\n', 'a\r\n.\r\n'],
    ['a\r', 'a\r\n.\r\n'],
    ['\n', '\r\n.\r\n'],
    ['.', '..\r\n.\r\n'],
    ['a\n.\nb', 'a\r\n..\r\nb\r\n.\r\n'],
    ['a\r.\rb', 'a\r\n..\r\nb\r\n.\r\n'],
    ['a\n.\r\nb', 'a\r\n..\r\nb\r\n.\r\n'],
    ['a\r\n.\r\nb', 'a\r\n..\r\nb\r\n.\r\n'],
    ['a\r\r\nb', 'a\r\n\r\nb\r\n.\r\n'],
    ['a\n\rb', 'a\r\n\r\nb\r\n.\r\n'],
    ['..x', '...x\r\n.\r\n'],
    ['x.\r\n', 'x.\r\n.\r\n'],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(text(encodeData(bytes(input)))).toBe(expected);
    expect(reference(input)).toBe(expected);
  });
});

describe('DataEncoder: every chunking', () => {
  it.each(INPUTS)('%s, split once anywhere', (_name, input) => {
    const data = bytes(input);
    for (let at = 0; at <= data.length; at++) {
      const chunks = [data.subarray(0, at), data.subarray(at)];
      expect(encodeChunks(chunks), `split at ${at}`).toBe(reference(input));
    }
  });

  it.each(INPUTS)('%s, split twice anywhere', (_name, input) => {
    const data = bytes(input);
    for (let first = 0; first <= data.length; first++) {
      for (let second = first; second <= data.length; second++) {
        const chunks = [
          data.subarray(0, first),
          data.subarray(first, second),
          data.subarray(second),
        ];
        expect(encodeChunks(chunks), `split at ${first}, ${second}`).toBe(reference(input));
      }
    }
  });

  it.each(INPUTS)('%s, one octet at a time', (_name, input) => {
    const chunks = [...bytes(input)].map((byte) => Uint8Array.of(byte));
    expect(encodeChunks(chunks)).toBe(reference(input));
  });

  it('refuses to be used after end()', () => {
    const encoder = new DataEncoder();
    encoder.end();
    expect(() => encoder.push(bytes('x'))).toThrow(/after end/);
    expect(() => encoder.end()).toThrow(/twice/);
  });
});

/** Undoes the wire form: checks the framing, removes the terminator and the stuffed dots. */
function unstuff(wire: string): string {
  const body = wire.slice(0, -3);
  expect(wire.endsWith('.\r\n')).toBe(true);
  if (body === '') return '';
  expect(body.endsWith('\r\n')).toBe(true);
  return body
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      if (line.startsWith('.')) expect(line.startsWith('..')).toBe(true);
      return line.startsWith('.') ? line.slice(1) : line;
    })
    .join('\r\n');
}

describe('DataEncoder: properties', () => {
  const octet = fc.constantFrom(0x0d, 0x0a, 0x2e, 0x61, 0x20, 0xff);
  const message = fc.array(octet, { maxLength: 60 }).map((list) => Uint8Array.from(list));
  const chunked = message.chain((data) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: data.length }), { maxLength: 6 })
      .map((cuts) => ({ data, cuts: [...cuts].sort((a, b) => a - b) })),
  );

  it('frames any input correctly however it is chunked', () => {
    fc.assert(
      fc.property(chunked, ({ data, cuts }) => {
        const bounds = [0, ...cuts, data.length];
        const chunks = bounds.slice(1).map((end, index) => data.subarray(bounds[index], end));
        const wire = encodeChunks(chunks);
        const input = text(data);
        // No bare CR or LF anywhere.
        expect(wire.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        // Exactly one end-of-data indication, at the very end.
        const terminator = input === '' ? '.\r\n' : '\r\n.\r\n';
        expect(wire.endsWith(terminator)).toBe(true);
        expect(`\r\n${wire}`.indexOf('\r\n.\r\n')).toBe(wire.length + 2 - 5);
        // Un-stuffing gives back the input with normalised line endings.
        const normalised = input.replace(/\r\n|\r|\n/g, '\r\n');
        const expected = normalised.endsWith('\r\n') ? normalised.slice(0, -2) : normalised;
        expect(unstuff(wire)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

// Speed is measured by the benchmark, never asserted here (the project's rule: these machines are
// noisy). These cases check that 25 MB inputs of each shape come out right.
describe('DataEncoder: large inputs', () => {
  function repeatTo(size: number, pattern: string): Uint8Array {
    const data = new Uint8Array(size);
    data.set(bytes(pattern).subarray(0, size));
    for (let filled = Math.min(pattern.length, size); filled < size; filled *= 2) {
      data.copyWithin(filled, 0, filled);
    }
    return data;
  }

  const size = 25 * 1024 * 1024;
  it.each([
    ['ordinary lines', `.${'x'.repeat(70)}\n${'y'.repeat(40)}\r\n\n`, 71],
    ['one long line', 'z'.repeat(1000), size],
    ['nothing but lone CRs', '\r', 0],
  ])('encodes 25 MB of %s', (_name, pattern, longestLine) => {
    const data = repeatTo(size, pattern);
    expect(inspectMessage(data)).toMatchObject({ size, has8bit: false, longestLine });
    const wire = encodeData(data);
    expect(Buffer.from(wire.subarray(-5)).toString('latin1')).toBe('\r\n.\r\n');
    // Every lone CR became CRLF, so no CR is ever followed by anything but LF.
    expect(/\r(?!\n)/.test(Buffer.from(wire).toString('latin1'))).toBe(false);
  });
});

describe('inspectMessage', () => {
  type Facts = { size: number; wireSize: number; has8bit: boolean; longestLine: number };
  const cases: [string, Facts][] = [
    ['', { size: 0, wireSize: 0, has8bit: false, longestLine: 0 }],
    ['abc', { size: 3, wireSize: 3, has8bit: false, longestLine: 3 }],
    ['abc\r\nde\r\n', { size: 9, wireSize: 9, has8bit: false, longestLine: 3 }],
    ['ab\ncdef', { size: 7, wireSize: 8, has8bit: false, longestLine: 4 }],
    ['abcd\rxy', { size: 7, wireSize: 8, has8bit: false, longestLine: 4 }],
    ['a\r\r\nbc', { size: 6, wireSize: 7, has8bit: false, longestLine: 2 }],
    ['\n\n\r', { size: 3, wireSize: 6, has8bit: false, longestLine: 0 }],
    ['gr\u00fc\u00dfe', { size: 5, wireSize: 5, has8bit: true, longestLine: 5 }],
    ['\x7f', { size: 1, wireSize: 1, has8bit: false, longestLine: 1 }],
    ['\x80', { size: 1, wireSize: 1, has8bit: true, longestLine: 1 }],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(inspectMessage(bytes(input))).toEqual(expected);
  });

  it('measures a 998-octet line as 998 and a 999-octet line as 999', () => {
    expect(inspectMessage(bytes(`${'a'.repeat(998)}\r\nb`)).longestLine).toBe(998);
    expect(inspectMessage(bytes(`x\n${'a'.repeat(999)}`)).longestLine).toBe(999);
  });
});

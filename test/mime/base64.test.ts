import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64EncodedLength, encodeBase64, encodeBase64Into } from '../../src/mime/base64.js';

const encode = (bytes: Uint8Array): string => Buffer.from(encodeBase64(bytes)).toString('latin1');

describe('encodeBase64', () => {
  it('encodes the RFC 4648 10 test vectors, each ending in CRLF', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg==\r\n'],
      ['fo', 'Zm8=\r\n'],
      ['foo', 'Zm9v\r\n'],
      ['foob', 'Zm9vYg==\r\n'],
      ['fooba', 'Zm9vYmE=\r\n'],
      ['foobar', 'Zm9vYmFy\r\n'],
    ];
    for (const [input, expected] of vectors) {
      expect(encode(new TextEncoder().encode(input))).toBe(expected);
    }
  });

  it('writes 57 input bytes per 76-character line (RFC 2045 6.8)', () => {
    const bytes = Uint8Array.from({ length: 115 }, (_, i) => i);
    const lines = encode(bytes).split('\r\n');
    expect(lines.map((line) => line.length)).toEqual([76, 76, 4, 0]);
    expect(lines.join('')).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('matches Node for any bytes and any offset into a shared buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(16), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        const text = encode(view);
        expect(text.replace(/\r\n/g, '')).toBe(Buffer.from(view).toString('base64'));
        expect(text.split('\r\n').every((line) => line.length <= 76)).toBe(true);
        expect(text === '' || text.endsWith('\r\n')).toBe(true);
      }),
    );
  });

  it('writes into a larger buffer at an offset, exactly the predicted length', () => {
    const input = Uint8Array.from({ length: 200 }, (_, i) => 255 - i);
    const target = new Uint8Array(base64EncodedLength(input.length) + 4).fill(0x2a);
    expect(encodeBase64Into(input, target, 2)).toBe(base64EncodedLength(input.length));
    expect(Buffer.from(target.subarray(2, -2)).equals(Buffer.from(encodeBase64(input)))).toBe(true);
    expect([...target.subarray(0, 2), ...target.subarray(-2)]).toEqual([42, 42, 42, 42]);
  });

  it('encodes 25 MB in one pass, across slice boundaries', () => {
    const bytes = new Uint8Array(25 * 1024 * 1024).map((_, i) => (i * 7919) & 0xff);
    const encoded = encodeBase64(bytes);
    expect(encoded.length).toBe(Math.ceil(bytes.length / 3) * 4 + Math.ceil(bytes.length / 57) * 2);
    const text = Buffer.from(encoded).toString('latin1');
    expect(Buffer.from(text, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });
});

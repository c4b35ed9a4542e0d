import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQuotedPrintable } from '../../src/mime/quoted-printable.js';
import { decodeQuotedPrintable } from './compose-helpers.js';

const utf8 = new TextEncoder();
const encode = (text: string): string =>
  Buffer.from(encodeQuotedPrintable(utf8.encode(text))).toString('latin1');

describe('encodeQuotedPrintable', () => {
  it('leaves printable ASCII alone and ends the last line with a soft break', () => {
    expect(encode('Hello, world!')).toBe('Hello, world!=\r\n');
    expect(encode('')).toBe('');
  });

  it('keeps CRLF as a hard break and escapes bare CR and LF', () => {
    expect(encode('a\r\nb\r\n')).toBe('a\r\nb\r\n');
    expect(encode('a\nb\rc')).toBe('a=0Ab=0Dc=\r\n');
  });

  it('escapes =, controls, NUL, DEL and every non-ASCII octet in upper-case hex', () => {
    expect(encode('1+1=2')).toBe('1+1=3D2=\r\n');
    expect(encode('\u0000\u007f\u001b')).toBe('=00=7F=1B=\r\n');
    expect(encode('é€')).toBe('=C3=A9=E2=82=AC=\r\n');
  });

  it('escapes space and tab before a line break (RFC 2045 6.7 rule 3) but not elsewhere', () => {
    expect(encode('a b \r\nc\t\r\n')).toBe('a b=20\r\nc=09\r\n');
    expect(encode('end ')).toBe('end=20=\r\n');
  });

  it('escapes a leading dot and a leading "From " on every line', () => {
    expect(encode('.\r\nFrom here\r\nFrom\r\nsay From x')).toBe(
      '=2E\r\n=46rom here\r\nFrom\r\nsay From x=\r\n',
    );
  });

  it('breaks after 75 characters so each line with its "=" is at most 76', () => {
    expect(encode('a'.repeat(76))).toBe(`${'a'.repeat(75)}=\r\na=\r\n`);
    expect(encode('a'.repeat(75))).toBe(`${'a'.repeat(75)}=\r\n`);
  });

  it('never splits an escape or a UTF-8 character across a soft break', () => {
    expect(encode(`${'a'.repeat(73)}=`)).toBe(`${'a'.repeat(73)}=\r\n=3D=\r\n`);
    expect(encode(`${'a'.repeat(70)}€`)).toBe(`${'a'.repeat(70)}=\r\n=E2=82=AC=\r\n`);
    expect(encode(`${'a'.repeat(63)}😀`)).toBe(`${'a'.repeat(63)}=F0=9F=98=80=\r\n`);
  });

  it('applies the line-start escapes after a soft break too', () => {
    expect(encode(`${'a'.repeat(75)}.b`)).toBe(`${'a'.repeat(75)}=\r\n=2Eb=\r\n`);
  });

  it('round-trips any bytes, with short lines and no bare CR or LF', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const encoded = encodeQuotedPrintable(bytes);
        expect(decodeQuotedPrintable(encoded)).toEqual(bytes);
        const text = Buffer.from(encoded).toString('latin1');
        expect(text).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
        for (const line of text.split('\r\n')) {
          expect(line.length).toBeLessThanOrEqual(76);
          expect(line).not.toMatch(/[ \t]$/);
          expect(line).toMatch(/^[\x21-\x7e \t]*$/);
        }
      }),
    );
  });

  it('keeps every UTF-8 character whole on one line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const encoded = Buffer.from(encodeQuotedPrintable(utf8.encode(text))).toString('latin1');
        for (const line of encoded.split('\r\n')) {
          const bytes = decodeQuotedPrintable(Buffer.from(line.replace(/=$/, ''), 'latin1'));
          // Each line decodes on its own to valid UTF-8: no character was cut.
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
        }
      }),
    );
  });

  it('encodes 8 MB of mixed text and decodes back to it', () => {
    const input = utf8.encode('Grüße aus Köln = 1 line\r\n'.repeat(320_000));
    const encoded = encodeQuotedPrintable(input);
    expect(Buffer.from(decodeQuotedPrintable(encoded)).equals(Buffer.from(input))).toBe(true);
  });
});

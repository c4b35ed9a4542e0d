import { describe, expect, it } from 'vitest';
import {
  chooseTransferEncoding,
  encodeTransfer,
  isSevenBitClean,
} from '../../src/mime/transfer-encoding.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('isSevenBitClean', () => {
  it('accepts ASCII lines of up to 998 octets joined by CRLF', () => {
    expect(isSevenBitClean(bytes(`${'a'.repeat(998)}\r\nb\r\n`))).toBe(true);
    expect(isSevenBitClean(bytes(''))).toBe(true);
  });

  it('refuses a 999-octet line; the count restarts after each CRLF', () => {
    expect(isSevenBitClean(bytes('a'.repeat(999)))).toBe(false);
    expect(isSevenBitClean(bytes(`${'a'.repeat(998)}\r\n${'b'.repeat(998)}`))).toBe(true);
    expect(isSevenBitClean(bytes(`${'a'.repeat(10)}\r\n${'b'.repeat(999)}`))).toBe(false);
  });

  it('refuses bare CR, bare LF, NUL and 8-bit octets', () => {
    for (const text of ['a\nb', 'a\rb', 'a\r', 'a\u0000b', 'é']) {
      expect(isSevenBitClean(bytes(text)), JSON.stringify(text)).toBe(false);
    }
  });
});

describe('chooseTransferEncoding', () => {
  it('keeps clean text as 7bit and sends other text as quoted-printable', () => {
    expect(chooseTransferEncoding(bytes('plain\r\n'), 'text')).toBe('7bit');
    expect(chooseTransferEncoding(bytes('café'), 'text')).toBe('quoted-printable');
    expect(chooseTransferEncoding(bytes('x'.repeat(1200)), 'text')).toBe('quoted-printable');
  });

  it('keeps a text body 7bit only while its lines are short (RFC 5322 2.1.1: 78)', () => {
    expect(chooseTransferEncoding(bytes(`${'a'.repeat(78)}\r\n${'b'.repeat(78)}`), 'text')).toBe(
      '7bit',
    );
    // A long line that white space would let quoted-printable break at 76 characters.
    expect(chooseTransferEncoding(bytes('word '.repeat(100)), 'text')).toBe('quoted-printable');
    expect(chooseTransferEncoding(bytes(`ok\r\n${'a'.repeat(79)}\r\n`), 'text')).toBe(
      'quoted-printable',
    );
  });

  it('sends text files as 7bit only when clean, otherwise base64', () => {
    expect(chooseTransferEncoding(bytes('a,b\r\n'), 'attached-text')).toBe('7bit');
    expect(chooseTransferEncoding(bytes('a,b\n'), 'attached-text')).toBe('base64');
  });

  it('always sends binary as base64, even when its bytes happen to be ASCII', () => {
    expect(chooseTransferEncoding(bytes('PK'), 'binary')).toBe('base64');
  });

  it('passes 7bit through and encodes the others', () => {
    const text = bytes('ok\r\n');
    expect(encodeTransfer(text, '7bit')).toBe(text);
    expect(Buffer.from(encodeTransfer(bytes('é'), 'quoted-printable')).toString()).toBe(
      '=C3=A9=\r\n',
    );
    expect(Buffer.from(encodeTransfer(bytes('ok'), 'base64')).toString()).toBe('b2s=\r\n');
  });
});

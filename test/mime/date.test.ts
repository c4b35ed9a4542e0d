import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMessageId, formatDate } from '../../src/mime/date.js';
import { MimeInputError } from '../../src/mime/errors.js';

describe('formatDate', () => {
  it('writes the RFC 5322 3.3 form in UTC', () => {
    expect(formatDate(new Date(Date.UTC(2026, 10, 27, 18, 39, 27)))).toBe(
      'Fri, 27 Nov 2026 18:39:27 +0000',
    );
    expect(formatDate(new Date('2027-01-03T04:05:06.789+02:00'))).toBe(
      'Sun, 03 Jan 2027 02:05:06 +0000',
    );
  });

  it('refuses an invalid date or a year that is not four digits', () => {
    expect(() => formatDate(new Date('not a date'))).toThrow(MimeInputError);
    expect(() => formatDate(new Date(Date.UTC(10000, 0, 1)))).toThrow(/between 1900 and 9999/);
    expect(() => formatDate(new Date(Date.UTC(1899, 11, 31)))).toThrow(/between 1900 and 9999/);
  });
});

describe('createMessageId', () => {
  const counting = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

  it('writes 128 random bits in hex at the domain', () => {
    expect(createMessageId('mail.example.com', counting)).toBe(
      '<000102030405060708090a0b0c0d0e0f@mail.example.com>',
    );
  });

  it('asks for at least 16 bytes and refuses fewer', () => {
    const asked: number[] = [];
    createMessageId('example.com', (n) => {
      asked.push(n);
      return counting(n);
    });
    expect(asked[0]).toBeGreaterThanOrEqual(16);
    expect(() => createMessageId('example.com', () => new Uint8Array(8))).toThrow(RangeError);
  });

  it('gives a different id each time with real randomness', () => {
    const ids = new Set(Array.from({ length: 50 }, () => createMessageId('x.org', randomBytes)));
    expect(ids.size).toBe(50);
  });

  it('writes a non-ASCII domain as its A-label', () => {
    expect(createMessageId('bücher.example', counting)).toBe(
      '<000102030405060708090a0b0c0d0e0f@xn--bcher-kva.example>',
    );
  });

  it.each([
    ['empty', ''],
    ['with a space', 'mail example.com'],
    ['with a >', 'x.com>\r\nBcc: a@evil.com'],
    ['with an @', 'a@x.com'],
    ['with an empty label', 'x..com'],
  ])('refuses a domain %s', (_label, domain) => {
    expect(() => createMessageId(domain, counting)).toThrow(MimeInputError);
  });
});

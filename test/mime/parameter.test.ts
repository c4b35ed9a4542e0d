import fc from 'fast-check';
import libmime from 'libmime';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  cleanParameterText,
  formatContentHeader,
  formatExtendedParameter,
  formatParameter,
  percentEncode,
} from '../../src/mime/parameter.js';

/** What a real MIME reader (mailparser) makes of a Content-Disposition filename we wrote. */
async function parsedFilename(name: string): Promise<string | undefined> {
  const message =
    'From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n' +
    'Content-Transfer-Encoding: base64\r\n' +
    formatContentHeader('Content-Disposition', 'attachment', [['filename', name]]) +
    '\r\nAAEC\r\n';
  const parsed = await simpleParser(Buffer.from(message));
  return parsed.attachments[0]?.filename;
}

describe('formatParameter', () => {
  it('writes a token bare and other ASCII as a quoted-string with \\ escapes', () => {
    expect(formatParameter('charset', 'utf-8')).toEqual(['charset=utf-8']);
    expect(formatParameter('filename', 'my report.pdf')).toEqual(['filename="my report.pdf"']);
    expect(formatParameter('filename', 'say "hi"\\.txt')).toEqual([
      'filename="say \\"hi\\"\\\\.txt"',
    ]);
    expect(formatParameter('filename', '')).toEqual(['filename=""']);
  });

  it('gives non-ASCII an ASCII fallback and an RFC 2231 utf-8 form', () => {
    expect(formatParameter('filename', 'résumé €.pdf')).toEqual([
      'filename="resume _.pdf"',
      "filename*=utf-8''r%C3%A9sum%C3%A9%20%E2%82%AC.pdf",
    ]);
  });

  it('uses RFC 2231 for text a reader might decode as an RFC 2047 encoded-word', () => {
    const [fallback, extended] = formatParameter('filename', '=?utf-8?B?DQpCY2M6IHg=?=');
    // The fallback is for readers without RFC 2231, the very ones that decode RFC 2047 inside
    // quoted parameters; it must not carry the look-alike either.
    expect(fallback).toBe('filename="=_utf-8_B_DQpCY2M6IHg=_="');
    expect(extended).toBe("filename*=utf-8''%3D%3Futf-8%3FB%3FDQpCY2M6IHg%3D%3F%3D");
  });

  it('leaves no encoded-word look-alike in the plain fallback of any name', () => {
    for (const name of [
      'é=?utf-8?q?a=0D=0A.exe?=',
      `${'long '.repeat(50)}=?utf-8?B?DQpCY2M6IHg=?=`,
      // U+FE66 SMALL EQUALS SIGN becomes "=" when accents are stripped (NFKD).
      '\ufe66?utf-8?q?=0D=0A?\ufe66.txt',
    ]) {
      const [fallback, extended] = formatParameter('filename', name);
      expect(fallback).toMatch(/^filename="/);
      expect(extended).toMatch(/^filename\*(0\*)?=utf-8''/);
      const value = (fallback ?? '').slice('filename="'.length, -1);
      expect(libmime.decodeWords(value)).toBe(value);
      expect(value).not.toMatch(/=\?/);
    }
  });

  it('replaces CR, LF, other controls, line separators and bidi overrides with _', () => {
    expect(cleanParameterText('a\r\nBcc: x\u0000\u2028\u202e.pdf')).toBe('a__Bcc: x___.pdf');
    expect(formatParameter('filename', 'a\r\nContent-Type: text/html')).toEqual([
      'filename="a__Content-Type: text/html"',
    ]);
  });
});

describe('formatExtendedParameter (RFC 2231)', () => {
  it('percent-encodes as in the RFC 2231 section 4 example', () => {
    // RFC 2231 4: title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A (we always say utf-8)
    expect(formatExtendedParameter('title', 'This is ***fun***', 'en-us')).toEqual([
      "title*=utf-8'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A",
    ]);
    expect(percentEncode("it's 100%")).toBe('it%27s%20100%25');
  });

  it('splits long values into numbered segments (RFC 2231 3, 4.1), never inside a character', () => {
    const value = 'Ünïcödé '.repeat(12);
    const segments = formatExtendedParameter('filename', value);
    expect(segments.length).toBeGreaterThan(2);
    segments.forEach((segment, i) => {
      expect(segment.startsWith(`filename*${i}*=`)).toBe(true);
      expect(segment.length).toBeLessThanOrEqual(76);
      const encoded = segment.slice(segment.indexOf('=') + 1).replace(/^utf-8''/, '');
      // Each segment decodes to whole characters on its own.
      expect(() => decodeURIComponent(encoded)).not.toThrow();
    });
    const joined = segments.map((s) => s.slice(s.indexOf('=') + 1)).join('');
    expect(decodeURIComponent(joined.replace(/^utf-8''/, ''))).toBe(value);
  });
});

describe('formatContentHeader', () => {
  it('folds before a parameter when the line would pass 78 characters', () => {
    const header = formatContentHeader('Content-Type', 'multipart/mixed', [
      ['boundary', '=_smtp-notify_0123456789abcdef0123456789abcdef0123'],
    ]);
    expect(header).toBe(
      'Content-Type: multipart/mixed;\r\n boundary="=_smtp-notify_0123456789abcdef0123456789abcdef0123"\r\n',
    );
  });

  it('keeps every line within 78 characters for long non-ASCII names', () => {
    const header = formatContentHeader('Content-Disposition', 'attachment', [
      ['filename', '報告書'.repeat(20)],
    ]);
    for (const line of header.split('\r\n').slice(0, -1)) {
      expect(line.length).toBeLessThanOrEqual(78);
    }
  });
});

describe('file names through a real MIME reader', () => {
  it('come back exactly, ASCII, quoted, non-ASCII, long or encoded-word lookalikes', async () => {
    const names = [
      'report.pdf',
      'my "quoted" \\ name.txt',
      'rapport d’été €.pdf',
      `${'長い名前'.repeat(30)}.txt`,
      `${'long-ascii-name-'.repeat(20)}.txt`,
      '=?utf-8?Q?evil?=.txt',
      '瘍瘊.txt',
    ];
    for (const name of names) expect(await parsedFilename(name)).toBe(name);
  });

  it('come back exactly for random Unicode names', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: 'binary', minLength: 1, maxLength: 80 })
          .filter(
            (name) => cleanParameterText(name) === name && name.trim() === name && name !== '',
          ),
        async (name) => {
          expect(await parsedFilename(name)).toBe(name);
        },
      ),
      { numRuns: 150 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  createAttachmentEntities,
  createInlineEntities,
  deduplicateNames,
  lookupContentType,
} from '../../src/mime/attachment.js';
import { concatenateChunks } from '../../src/mime/entity.js';
import { MimeInputError } from '../../src/mime/errors.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('lookupContentType', () => {
  it('maps extensions through the mime database, case-insensitively', () => {
    expect(lookupContentType('report.pdf')).toBe('application/pdf');
    expect(lookupContentType('LOGO.PNG')).toBe('image/png');
    expect(lookupContentType('build.log.txt')).toBe('text/plain');
  });

  it('falls back to application/octet-stream', () => {
    expect(lookupContentType('data.unknownext')).toBe('application/octet-stream');
    expect(lookupContentType('Makefile')).toBe('application/octet-stream');
    expect(lookupContentType('')).toBe('application/octet-stream');
  });
});

describe('deduplicateNames', () => {
  it('numbers repeats before the extension, ignoring case', () => {
    expect(
      deduplicateNames(['report.pdf', 'report.pdf', 'Report.PDF', 'a', 'a', '.env', '.env']),
    ).toEqual(['report.pdf', 'report (2).pdf', 'Report (3).PDF', 'a', 'a (2)', '.env', '.env (2)']);
  });

  it('skips a number that another file already uses', () => {
    expect(deduplicateNames(['x.txt', 'x (2).txt', 'x.txt'])).toEqual([
      'x.txt',
      'x (2).txt',
      'x (3).txt',
    ]);
  });
});

describe('createAttachmentEntities', () => {
  it('writes type, disposition and name, and base64 for binary', () => {
    const [entity] = createAttachmentEntities([
      { filename: 'a.pdf', content: Uint8Array.from([0, 1, 2]) },
    ]);
    expect(entity?.headers).toBe(
      'Content-Type: application/pdf; name=a.pdf\r\n' +
        'Content-Transfer-Encoding: base64\r\n' +
        'Content-Disposition: attachment; filename=a.pdf\r\n',
    );
    expect(Buffer.from(concatenateChunks(entity?.body ?? [])).toString()).toBe('AAEC\r\n');
  });

  it('sends a clean text file as 7bit and honours an explicit content type', () => {
    const [text, json] = createAttachmentEntities([
      { filename: 'notes.txt', content: bytes('hello\r\n') },
      { filename: 'data', content: bytes('{}'), contentType: 'Application/JSON' },
    ]);
    expect(text?.headers).toContain('Content-Transfer-Encoding: 7bit');
    expect(json?.headers).toContain('Content-Type: application/json; name=data');
    expect(json?.headers).toContain('Content-Transfer-Encoding: base64');
  });

  it('avoids names reserved by inline parts', () => {
    const [entity] = createAttachmentEntities(
      [{ filename: 'logo.png', content: bytes('x') }],
      ['logo.png'],
    );
    expect(entity?.headers).toContain('filename="logo (2).png"');
  });

  it('refuses an empty name and a content type that is not type/subtype', () => {
    expect(() => createAttachmentEntities([{ filename: ' ', content: bytes('') }])).toThrow(
      MimeInputError,
    );
    for (const contentType of [
      'text/plain; charset=x',
      'text/html\r\nBcc: x',
      'multipart/mixed',
      'pdf',
    ]) {
      expect(() =>
        createAttachmentEntities([{ filename: 'a', content: bytes(''), contentType }]),
      ).toThrow(/attachments\[0\]\.contentType/);
    }
  });
});

describe('createInlineEntities', () => {
  it('writes Content-ID and an inline disposition', () => {
    const { entities, names } = createInlineEntities([
      { contentId: 'logo', content: bytes('png'), filename: 'logo.png' },
      { contentId: '<chart@example.com>', content: bytes('svg'), contentType: 'image/svg+xml' },
    ]);
    expect(names).toEqual(['logo.png']);
    expect(entities[0]?.headers).toContain('Content-Disposition: inline; filename=logo.png\r\n');
    expect(entities[0]?.headers).toContain('Content-ID: <logo>\r\n');
    expect(entities[1]?.headers).toContain('Content-Type: image/svg+xml\r\n');
    expect(entities[1]?.headers).toContain('Content-Disposition: inline\r\n');
    expect(entities[1]?.headers).toContain('Content-ID: <chart@example.com>\r\n');
  });

  it('refuses repeated and malformed content ids', () => {
    expect(() =>
      createInlineEntities([
        { contentId: 'a', content: bytes('') },
        { contentId: 'A', content: bytes('') },
      ]),
    ).toThrow(/inline\[1\]\.contentId.*earlier/);
    for (const contentId of ['', 'a b', 'a>\r\nBcc: x', '<a']) {
      expect(() => createInlineEntities([{ contentId, content: bytes('') }])).toThrow(
        MimeInputError,
      );
    }
  });
});

import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { parseAddressList, type Mailbox } from '../../src/mime/address.js';
import { MimeInputError } from '../../src/mime/errors.js';
import { HeaderBlock, normaliseSubject } from '../../src/mime/header.js';

function subjectBlock(subject: string): string {
  return new HeaderBlock().setText('Subject', subject).toString();
}

/** Parses the header block with mailparser, as a receiving client would. */
async function parse(headers: string): ReturnType<typeof simpleParser> {
  return simpleParser(Buffer.from(`${headers}\r\nx`));
}

/** Every line ends in CRLF, has no other CR or LF, and fits in 998 octets (RFC 5322 2.1.1). */
function expectWellFolded(block: string, target = 998): void {
  expect(block.endsWith('\r\n')).toBe(true);
  const lines = block.slice(0, -2).split('\r\n');
  for (const line of lines) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(target);
  }
  // Continuation lines start with white space and are never white space alone.
  const fieldStarts = lines.filter((line) => !/^[ \t]/.test(line));
  for (const line of lines) expect(line.trim()).not.toBe('');
  expect(fieldStarts.every((line) => /^[\x21-\x39\x3b-\x7e]+:/.test(line))).toBe(true);
}

describe('HeaderBlock.setText', () => {
  it('writes plain ASCII as it is', () => {
    expect(subjectBlock('Build passed on main')).toBe('Subject: Build passed on main\r\n');
  });

  it('writes an empty value', () => {
    expect(subjectBlock('')).toBe('Subject:\r\n');
  });

  it('folds long ASCII text at white space within 78 characters', () => {
    const subject =
      'Deployment of release candidate 42 to the staging environment finished with ' +
      'warnings from three of the eleven health checks';
    expect(subjectBlock(subject)).toBe(
      'Subject: Deployment of release candidate 42 to the staging environment\r\n' +
        ' finished with warnings from three of the eleven health checks\r\n',
    );
  });

  it('encodes non-ASCII text as encoded-words separated by folding white space', async () => {
    const subject = 'Déploiement réussi: 5 services mis à jour, 0 échec, durée totale 3 min 12 s';
    const block = subjectBlock(subject);
    expect(block).toBe(
      // The first word is sized for what "Subject: " leaves of 78 characters.
      'Subject: =?UTF-8?Q?D=C3=A9ploiement_r=C3=A9ussi:_5_services_mis_=C3=A0_jour,?=\r\n' +
        ' =?UTF-8?Q?_0_=C3=A9chec,_dur=C3=A9e_totale_3_min_12_s?=\r\n',
    );
    expect((await parse(block)).subject).toBe(subject);
  });

  it('keeps a long URL as written (not encoded) on a line under 998 octets', () => {
    const url = `https://example.com/unsubscribe/${'a'.repeat(150)}`;
    const block = new HeaderBlock().setText('List-Unsubscribe', `<${url}>`).toString();
    expect(block).toBe(`List-Unsubscribe: <${url}>\r\n`);
  });

  it.each([990, 993, 997])(
    'encodes a first word of %i characters that cannot share a line with the name',
    async (length) => {
      const word = 'a'.repeat(length);
      const block = subjectBlock(word);
      expectWellFolded(block);
      expect((await parse(block)).subject).toBe(word);
    },
  );

  it('encodes an unbroken run too long to fold and keeps lines short', async () => {
    const url = `https://example.com/${'a'.repeat(1500)}`;
    const block = subjectBlock(`See ${url}`);
    expectWellFolded(block, 78);
    expect((await parse(block)).subject).toBe(`See ${url}`);
  });

  it('encodes leading and trailing white space so it survives', async () => {
    const block = subjectBlock('  padded  ');
    expect(block).toBe('Subject: =?UTF-8?Q?__padded__?=\r\n');
    expect((await parse(block)).subject).toBe('  padded  ');
  });

  it.each([
    ['CRLF', 'Hello\r\nBcc: victim@example.com', 'U+000D'],
    ['LF', 'Hello\nBcc: victim@example.com', 'U+000A'],
    ['CR', 'Hello\rBcc: victim@example.com', 'U+000D'],
    ['NUL', 'Hello\u0000', 'U+0000'],
    ['U+2028', 'Hello\u2028Bcc: victim@example.com', 'U+2028'],
    ['U+2029', 'Hello\u2029', 'U+2029'],
    ['NEL', 'Hello\u0085', 'U+0085'],
    ['ESC', 'Hello\u001b[31m', 'U+001B'],
    ['a lone surrogate', 'Hello\ud800', 'U+D800'],
  ])('refuses a value with %s when it is set', (_label, value, shown) => {
    const block = new HeaderBlock();
    expect(() => block.setText('Subject', value)).toThrow(MimeInputError);
    expect(() => block.setText('X-Note', value)).toThrow(shown);
    expect(block.toString()).toBe('');
  });

  it('writes literal encoded-word text as an encoded-word that decodes to the literal', async () => {
    const literal = '=?UTF-8?Q?=0D=0ABcc:_x?=';
    const block = subjectBlock(literal);
    expect(block).toBe('Subject: =?UTF-8?B?PT9VVEYtOD9RPz0wRD0wQUJjYzpfeD89?=\r\n');
    const parsed = await parse(block);
    expect(parsed.subject).toBe(literal);
    expect(parsed.headers.has('bcc')).toBe(false);
  });

  it('writes U+760D and U+760A as UTF-8 in an encoded-word, never as CR or LF', async () => {
    const block = subjectBlock('\u760d\u760a x');
    expect(Buffer.from(block).indexOf(0x0d)).toBe(block.length - 2);
    expect((await parse(block)).subject).toBe('\u760d\u760a x');
  });
});

describe('normaliseSubject', () => {
  it.each([
    ['Fix\r\nBcc: victim@example.com', 'Fix Bcc: victim@example.com'],
    ['  a \t\t b\n\n\nc  ', 'a b c'],
    ['one\u2028two\u2029three', 'one two three'],
    ['nul\u0000 and esc\u001b and nel\u0085', 'nul and esc and nel'],
    ['half \ud83d pair', 'half \ufffd pair'],
    ['Résumé — ✅ done', 'Résumé — ✅ done'],
  ])('makes %j one clean line', (input, expected) => {
    expect(normaliseSubject(input)).toBe(expected);
    expect(() => subjectBlock(normaliseSubject(input))).not.toThrow();
  });
});

describe('HeaderBlock.setAddresses', () => {
  it('writes mailboxes separated by commas and folds between them', async () => {
    const list = parseAddressList(
      'Jane Doe <jane@example.com>, "Doe, John" <john@example.com>\nJörg <j@bücher.example>, ' +
        'ops@example.com, "The Release Team" <release-team@example.com>',
      'to',
    );
    const block = new HeaderBlock().setAddresses('To', list).toString();
    expect(block).toBe(
      'To: Jane Doe <jane@example.com>, "Doe, John" <john@example.com>,\r\n' +
        ' =?UTF-8?B?SsO2cmc=?= <j@xn--bcher-kva.example>, ops@example.com, The Release\r\n' +
        ' Team <release-team@example.com>\r\n',
    );
    const parsed = await parse(block);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value.map((entry) => [entry.name, entry.address])).toEqual([
      ['Jane Doe', 'jane@example.com'],
      ['Doe, John', 'john@example.com'],
      // mailparser shows the A-label we wrote in its Unicode form.
      ['Jörg', 'j@bücher.example'],
      ['', 'ops@example.com'],
      ['The Release Team', 'release-team@example.com'],
    ]);
  });

  it('refuses an empty list and a hand-built mailbox that would inject', () => {
    expect(() => new HeaderBlock().setAddresses('To', [])).toThrow(/at least one address/);
    const hostile: Mailbox = {
      name: 'Jane\r\nBcc: victim@example.com',
      address: 'a@x.com',
      needsSmtpUtf8: false,
    };
    expect(() => new HeaderBlock().setAddresses('From', [hostile])).toThrow(MimeInputError);
  });
});

describe('HeaderBlock.setStructured', () => {
  it('writes checked ASCII values', () => {
    const block = new HeaderBlock()
      .setStructured('MIME-Version', '1.0')
      .setStructured('Message-ID', '<abc@example.com>');
    expect(block.toString()).toBe('MIME-Version: 1.0\r\nMessage-ID: <abc@example.com>\r\n');
  });

  it('folds a long structured value at white space', () => {
    const value = `multipart/mixed; boundary="${'b'.repeat(50)}"; charset=utf-8`;
    expect(new HeaderBlock().setStructured('Content-Type', value).toString()).toBe(
      `Content-Type: multipart/mixed;\r\n boundary="${'b'.repeat(50)}"; charset=utf-8\r\n`,
    );
  });

  it.each([
    ['CRLF', 'text/plain\r\nBcc: x@example.com'],
    ['non-ASCII', 'text/plain; name=é'],
    ['nothing', '  '],
  ])('refuses a value with %s', (_label, value) => {
    expect(() => new HeaderBlock().setStructured('Content-Type', value)).toThrow(MimeInputError);
  });

  it('refuses a word that cannot fold within 998 octets', () => {
    const value = `<${'a'.repeat(1000)}@example.com>`;
    expect(() => new HeaderBlock().setStructured('References', value)).toThrow(/998/);
  });
});

describe('HeaderBlock field rules', () => {
  it.each([['X Bad'], ['X:Bad'], [''], ['Sübject'], ['X-\r\nBcc']])(
    'refuses the header name %j',
    (name) => {
      expect(() => new HeaderBlock().setText(name, 'v')).toThrow(/not a valid header name/);
    },
  );

  it('refuses a second occurrence of a single field, in any case', () => {
    const block = new HeaderBlock().setText('Subject', 'one');
    expect(() => block.setText('subject', 'two')).toThrow(/only once/);
    block.setStructured('Date', 'Fri, 27 Nov 2026 18:39:27 +0000');
    expect(() => block.setStructured('DATE', 'Fri, 27 Nov 2026 18:39:28 +0000')).toThrow(
      /only once/,
    );
    expect(block.toString()).toBe('Subject: one\r\nDate: Fri, 27 Nov 2026 18:39:27 +0000\r\n');
  });

  it('allows a repeatable extra header twice', () => {
    const block = new HeaderBlock().setText('X-Tag', 'a').setText('X-Tag', 'b');
    expect(block.toString()).toBe('X-Tag: a\r\nX-Tag: b\r\n');
  });

  it('refuses Bcc through every setter', () => {
    const mailbox: Mailbox = { address: 'a@x.com', needsSmtpUtf8: false };
    const block = new HeaderBlock();
    expect(() => block.setAddresses('Bcc', [mailbox])).toThrow(/SMTP envelope/);
    expect(() => block.setText('bcc', 'a@x.com')).toThrow(/SMTP envelope/);
    expect(() => block.setStructured('BCC', 'a@x.com')).toThrow(/SMTP envelope/);
  });

  it('keeps structure and address fields to their own setters', () => {
    const block = new HeaderBlock();
    expect(() => block.setText('Content-Type', 'text/html')).toThrow(/structured field/);
    expect(() => block.setText('MIME-Version', '1.0')).toThrow(/structured field/);
    expect(() => block.setText('Content-Transfer-Encoding', '8bit')).toThrow(/structured/);
    expect(() => block.setText('To', 'a@x.com')).toThrow(/address field/);
    expect(() => block.setStructured('From', 'a@x.com')).toThrow(/address field/);
    expect(() => block.setStructured('Subject', '=?UTF-8?Q?x?=')).toThrow(/text field/);
    expect(() => block.setAddresses('Subject', [])).toThrow(/text field/);
    expect(block.toString()).toBe('');
  });

  it('tells which fields are set, ignoring case', () => {
    const block = new HeaderBlock().setText('X-Run', '1');
    expect(block.has('x-run')).toBe(true);
    expect(block.has('Subject')).toBe(false);
  });
});

describe('header folding properties', () => {
  const pieces = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom(' ', '  ', '\t', '\r\n', '=?', '?=', '=?UTF-8?Q?a?=', '_', '\u2028', 'é'),
    fc.string({ unit: fc.constantFrom('a', 'b', '.', '-'), maxLength: 120 }),
  );
  const texts = fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(''));

  it('folds any normalised subject into valid lines that decode back to it', async () => {
    await fc.assert(
      fc.asyncProperty(texts, async (raw) => {
        const subject = normaliseSubject(raw);
        const block = subjectBlock(subject);
        expectWellFolded(block);
        expect((await parse(block)).subject ?? '').toBe(subject);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any raw value that holds a line break', () => {
    fc.assert(
      fc.property(texts, fc.constantFrom('\r', '\n', '\u2028', '\u2029'), texts, (a, nl, b) => {
        expect(() => subjectBlock(`${a}${nl}${b}`)).toThrow(MimeInputError);
      }),
    );
  });
});

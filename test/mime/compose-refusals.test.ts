import { describe, expect, it } from 'vitest';
import { composeMessage, MimeInputError, type MessageInput } from '../../src/mime/index.js';
import { fixedOptions, parseMessage, topHeaderNames, wireProblems } from './compose-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const minimal: MessageInput = { from: 'ci@example.com', to: 'dev@example.com', text: 'hi' };

function compose(input: Partial<MessageInput>) {
  return composeMessage({ ...minimal, ...input }, fixedOptions());
}

describe('composeMessage: refused input says what to do', () => {
  const cases: [string, Partial<MessageInput>, RegExp][] = [
    ['no recipient', { to: undefined }, /^to: no recipient.*to, cc or bcc/],
    ['only blank recipients', { to: ' , ' }, /to, cc or bcc/],
    ['no content', { text: undefined }, /^text: .*empty text is allowed/],
    ['bad from', { from: 'not an address' }, /^from: /],
    ['two froms', { from: 'a@example.com, b@example.com' }, /^from: .*exactly one/],
    [
      'inline without html',
      { inline: [{ contentId: 'x', content: bytes('') }] },
      /^inline: .*add html/,
    ],
    ['bad In-Reply-To', { inReplyTo: 'parent@example.com' }, /^inReplyTo: .*<id@domain>/],
    ['injected In-Reply-To', { inReplyTo: '<a@b>\r\nBcc: x@y' }, /^inReplyTo: /],
    ['bad reference', { references: ['<ok@example.com>', '<no-at>'] }, /^references\[1\]: /],
    // RFC 5322 3.6.4: msg-id holds dot-atom text, so no comment, quote, comma or colon in it.
    ['In-Reply-To with a comment', { inReplyTo: '<a(b)@example.com>' }, /^inReplyTo: /],
    ['In-Reply-To with a comment on the right', { inReplyTo: '<a@b(c)>' }, /^inReplyTo: /],
    ['reference with a comma', { references: ['<a,b@example.com>'] }, /^references\[0\]: /],
    ['reference with quotes', { references: ['<"ab"@example.com>'] }, /^references\[0\]: /],
    ['reference with a colon', { references: ['<a@b:c>'] }, /^references\[0\]: /],
    // Lines of more than 998 octets (RFC 5322 2.1.1) in a part's own header.
    [
      'content type of 1,200 characters',
      {
        attachments: [{ filename: 'a', content: bytes(''), contentType: `a/${'x'.repeat(1200)}` }],
      },
      /^attachments\[0\]\.contentType: .*127/,
    ],
    [
      'content id of 1,200 characters',
      { html: 'x', inline: [{ contentId: 'a'.repeat(1200), content: bytes('') }] },
      /^inline\[0\]\.contentId: /,
    ],
    [
      'Content-Type header',
      { headers: [['Content-Type', 'text/html']] },
      /^headers\[0\]: .*text, html, attachments or inline/,
    ],
    ['Bcc header', { headers: [['BCC', 'x@example.com']] }, /^headers\[0\]: .*bcc input/],
    ['Subject header', { headers: [['Subject', 'x']] }, /subject input/],
    ['MIME-Version header', { headers: [['Mime-Version', '1.0']] }, /always 1\.0/],
    ['Date header', { headers: [['date', 'x']] }, /from the clock/],
    ['Message-ID header', { headers: [['Message-Id', '<a@b>']] }, /messageIdDomain/],
    ['header name with colon', { headers: [['X-A: b', 'c']] }, /not a valid header name/],
    ['header name with CRLF', { headers: [['X-A\r\nBcc', 'c']] }, /not a valid header name/],
    ['header value with CRLF', { headers: [['X-A', 'b\r\nBcc: x@example.com']] }, /U\+000D/],
    ['header value with U+2028', { headers: [['X-A', 'b\u2028c']] }, /U\+2028/],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => {
      expect(() => compose(input)).toThrow(MimeInputError);
      expect(() => compose(input)).toThrow(message);
    });
  }
});

describe('composeMessage: message ids in every form RFC 5322 3.6.4 allows', () => {
  it('accepts dot-atom text and a domain literal on the right', async () => {
    const ids = ['<a.b+c/d=e?f@mail.example.com>', "<x!#$%&'*^_`{|}~-@[192.0.2.1]>"];
    const message = compose({ inReplyTo: ids[0], references: ids });
    const parsed = await parseMessage(message.bytes);
    expect(parsed.inReplyTo).toBe(ids[0]);
    expect(parsed.references).toEqual(ids);
  });
});

describe('composeMessage: hostile text ends as one harmless header', () => {
  async function subjectOf(subject: string) {
    const message = compose({ subject });
    expect(wireProblems(message.bytes)).toEqual([]);
    expect(topHeaderNames(message.bytes).filter((n) => n === 'bcc' || n === 'subject')).toEqual([
      'subject',
    ]);
    return (await parseMessage(message.bytes)).subject;
  }

  it('folds CR, LF, NUL and U+2028 in a subject into spaces', async () => {
    expect(await subjectOf('Hi\r\nBcc: victim@example.com')).toBe('Hi Bcc: victim@example.com');
    expect(await subjectOf('a\u0000b\u2028c\u2029d\re\nf')).toBe('a b c d e f');
  });

  it('keeps a literal encoded-word literal, so it cannot decode into a line break', async () => {
    const literal = '=?utf-8?B?DQpCY2M6IHZpY3RpbUBleGFtcGxlLmNvbQ==?=';
    expect(await subjectOf(literal)).toBe(literal);
  });

  it('writes U+760D and U+760A as UTF-8, never as a lone CR or LF byte', async () => {
    const text = '瘍瘊 build 瘍\u760a';
    const message = compose({
      subject: text,
      to: `"${text}" <x@example.com>`,
      text,
      attachments: [{ filename: `${text}.txt`, content: bytes(text) }],
    });
    expect(wireProblems(message.bytes)).toEqual([]);
    const parsed = await parseMessage(message.bytes);
    expect(parsed.subject).toBe(text);
    expect(parsed.to).toMatchObject({ value: [{ name: text }] });
    expect(parsed.text).toBe(text);
    expect(parsed.attachments[0]?.filename).toBe(`${text}.txt`);
  });

  it('keeps a literal encoded-word in a display name literal', async () => {
    const literal = '=?utf-8?B?DQpCY2M6IHZpY3RpbUBleGFtcGxlLmNvbQ==?=';
    const message = compose({ to: `"${literal}" <a@example.com>` });
    const parsed = await parseMessage(message.bytes);
    expect(parsed.to).toMatchObject({ value: [{ address: 'a@example.com', name: literal }] });
    expect(parsed.bcc).toBeUndefined();
  });

  it('refuses a display name with U+2028 or NUL', () => {
    expect(() => compose({ to: '"a\u2028b" <a@example.com>' })).toThrow(MimeInputError);
    expect(() => compose({ from: 'a\u0000b <a@example.com>' })).toThrow(MimeInputError);
  });

  it('refuses a display name that smuggles a line break', () => {
    expect(() => compose({ to: '"Evil\r\nBcc: x@example.com" <a@example.com>' })).toThrow(
      MimeInputError,
    );
  });

  it('turns controls in an attachment name into _ within one parameter', async () => {
    const message = compose({
      attachments: [
        { filename: 'a\r\nContent-Type: text/html\u0000\u2028.pdf', content: bytes('x') },
      ],
    });
    expect(wireProblems(message.bytes)).toEqual([]);
    const parsed = await parseMessage(message.bytes);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['a__Content-Type: text/html__.pdf']);
    expect(parsed.attachments[0]?.contentType).toBe('application/pdf');
  });
});

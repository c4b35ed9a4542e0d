import { describe, expect, it } from 'vitest';
import { composeMessage, type MessageInput } from '../../src/mime/index.js';
import {
  FIXED_DATE,
  fixedOptions,
  parseMessage,
  toText,
  topHeaderNames,
  wireProblems,
} from './compose-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const minimal: MessageInput = { from: 'ci@example.com', to: 'dev@example.com', text: 'hi' };

function compose(input: Partial<MessageInput>, seed = 1) {
  return composeMessage({ ...minimal, ...input }, fixedOptions(seed));
}

describe('composeMessage: a full message through a real MIME reader', () => {
  const input: MessageInput = {
    from: 'Zoë Bürger <zoe@example.com>',
    to: 'a@example.com, "Last, First" <b@example.org>',
    cc: '山田 太郎 <taro@example.jp>',
    bcc: 'audit@example.net',
    replyTo: 'Team <team@example.com>',
    subject: 'Build ✓ passed on main: 100% 😀',
    text: 'Hello\nworld\n.leading dot\nFrom here',
    html: '<p>Héllo <img src="cid:logo"></p>',
    inline: [
      { contentId: 'logo', content: Uint8Array.from([137, 80, 78, 71]), filename: 'logo.png' },
    ],
    attachments: [
      { filename: 'rapport d’été €.pdf', content: Uint8Array.from([0, 1, 2, 255, 13, 10]) },
      { filename: 'log.txt', content: bytes('line 1\r\nline 2\r\n') },
      { filename: 'log.txt', content: bytes('other\n') },
    ],
    headers: [['X-Run-Id', '42 ünïcode']],
    priority: 'high',
    inReplyTo: '<parent@example.com>',
    references: ['<root@example.com>', '<parent@example.com>'],
  };
  const message = composeMessage(input, fixedOptions());

  it('gives back every header, address and name as given', async () => {
    const parsed = await parseMessage(message.bytes);
    expect(parsed.from?.value).toEqual([{ address: 'zoe@example.com', name: 'Zoë Bürger' }]);
    expect(parsed.to).toMatchObject({
      value: [
        { address: 'a@example.com', name: '' },
        { address: 'b@example.org', name: 'Last, First' },
      ],
    });
    expect(parsed.cc).toMatchObject({ value: [{ address: 'taro@example.jp', name: '山田 太郎' }] });
    expect(parsed.replyTo?.value).toEqual([{ address: 'team@example.com', name: 'Team' }]);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe(input.subject);
    expect(parsed.date).toEqual(FIXED_DATE);
    expect(parsed.messageId).toBe(message.messageId);
    expect(parsed.inReplyTo).toBe('<parent@example.com>');
    expect(parsed.references).toEqual(['<root@example.com>', '<parent@example.com>']);
    // mailparser folds X-Priority and Importance into `priority`; check the lines as written.
    const line = (key: string) => parsed.headerLines.find((h) => h.key === key)?.line;
    expect(line('x-priority')).toBe('X-Priority: 1');
    expect(line('importance')).toBe('Importance: high');
    expect(parsed.headers.get('priority')).toBe('high');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // mailparser leaves the value of an unknown field undecoded.
    const runId = parsed.headers.get('x-run-id') as string;
    expect(runId).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Buffer.from(runId.slice(10, -2), 'base64').toString()).toBe('42 ünïcode');
    expect(parsed.headers.get('mime-version')).toBe('1.0');
  });

  it('gives back text, HTML, inline and attachment parts byte for byte', async () => {
    const parsed = await parseMessage(message.bytes);
    expect(parsed.text).toBe(input.text);
    expect(parsed.html).toBe(input.html);
    const parts = parsed.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      disposition: a.contentDisposition,
      cid: a.cid,
      content: [...a.content],
    }));
    expect(parts).toEqual([
      {
        filename: 'logo.png',
        contentType: 'image/png',
        disposition: 'inline',
        cid: 'logo',
        content: [137, 80, 78, 71],
      },
      {
        filename: 'rapport d’été €.pdf',
        contentType: 'application/pdf',
        disposition: 'attachment',
        cid: undefined,
        content: [0, 1, 2, 255, 13, 10],
      },
      {
        filename: 'log.txt',
        contentType: 'text/plain',
        disposition: 'attachment',
        cid: undefined,
        content: [...bytes('line 1\r\nline 2\r\n')],
      },
      {
        filename: 'log (2).txt',
        contentType: 'text/plain',
        disposition: 'attachment',
        cid: undefined,
        content: [...bytes('other\n')],
      },
    ]);
  });

  it('writes exactly the expected headers, in order, and never Bcc', () => {
    expect(topHeaderNames(message.bytes)).toEqual([
      'from',
      'to',
      'cc',
      'reply-to',
      'subject',
      'date',
      'message-id',
      'mime-version',
      'in-reply-to',
      'references',
      'x-priority',
      'importance',
      'auto-submitted',
      'x-run-id',
      'content-type',
    ]);
    expect(toText(message.bytes)).not.toMatch(/audit@/);
    expect(toText(message.bytes)).toMatch(/^Content-Type: multipart\/mixed;/m);
  });

  it('is 7-bit clean with CRLF lines of at most 998 octets, and reports its exact size', () => {
    expect(wireProblems(message.bytes)).toEqual([]);
    expect(message.bytes.every((byte) => byte < 0x80)).toBe(true);
    expect(message.size).toBe(message.bytes.length);
    expect(message.eightBit).toBe(false);
  });

  it('puts To, Cc and Bcc in the envelope, once each', () => {
    expect(message.envelope).toEqual({
      from: 'zoe@example.com',
      to: ['a@example.com', 'b@example.org', 'taro@example.jp', 'audit@example.net'],
      smtpUtf8: false,
    });
    const dup = compose({ to: 'x@EXAMPLE.com', cc: 'x@example.com', bcc: 'X@example.com' });
    expect(dup.envelope.to).toEqual(['x@EXAMPLE.com', 'X@example.com']);
  });

  it('makes a Message-ID at the From domain, or at messageIdDomain', () => {
    expect(message.messageId).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(compose({ messageIdDomain: 'mail.example.net' }).messageId).toMatch(
      /@mail\.example\.net>$/,
    );
    expect(() => compose({ messageIdDomain: 'bad domain' })).toThrow(/messageIdDomain/);
  });
});

describe('composeMessage: shapes', () => {
  it('sends text alone as a single text/plain part, ending in CRLF', async () => {
    const message = compose({ text: 'just text' });
    expect(toText(message.bytes)).toMatch(
      /\r\nContent-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\njust text\r\n$/,
    );
    expect((await parseMessage(message.bytes)).text).toBe('just text\n');
  });

  it('sends non-ASCII text as quoted-printable that ends on a soft break', async () => {
    const message = compose({ text: 'Grüße' });
    expect(toText(message.bytes)).toMatch(/\r\n\r\nGr=C3=BC=C3=9Fe=\r\n$/);
    expect((await parseMessage(message.bytes)).text).toBe('Grüße');
  });

  it('allows an explicit empty text body', async () => {
    const message = compose({ text: '' });
    expect(wireProblems(message.bytes)).toEqual([]);
    expect((await parseMessage(message.bytes)).text ?? '').toBe('');
  });

  it('sends HTML alone as text/html', () => {
    const message = compose({ text: undefined, html: '<b>hi</b>' });
    expect(toText(message.bytes)).toMatch(/^Content-Type: text\/html; charset=utf-8\r\n/m);
    expect(toText(message.bytes)).not.toMatch(/multipart/);
  });

  it('sends a lone attachment as the only part', async () => {
    const message = compose({
      text: undefined,
      attachments: [{ filename: 'a.bin', content: Uint8Array.from([1, 2]) }],
    });
    expect(toText(message.bytes)).toMatch(/^Content-Disposition: attachment; filename=a\.bin\r\n/m);
    const parsed = await parseMessage(message.bytes);
    expect([...(parsed.attachments[0]?.content ?? [])]).toEqual([1, 2]);
  });

  it('picks a new boundary when the content holds the first one drawn', async () => {
    const plain = compose({ html: '<p>x</p>' });
    const boundary = /boundary="([^"]+)"/.exec(toText(plain.bytes))?.[1] ?? '';
    // The same random source would draw the same boundary; the text now quotes it.
    const text = `a reply quoting\r\n--${boundary}\r\nContent-Type: text/html\r\n\r\nspoof`;
    const message = compose({ html: '<p>x</p>', text });
    expect(toText(message.bytes)).not.toContain(`boundary="${boundary}"`);
    const parsed = await parseMessage(message.bytes);
    expect(parsed.text).toBe(text.replace(/\r\n/g, '\n'));
    expect(parsed.html).toBe('<p>x</p>');
  });
});

describe('composeMessage: determinism', () => {
  const input: MessageInput = {
    ...minimal,
    html: '<p>x</p>',
    attachments: [{ filename: 'a.txt', content: bytes('a') }],
  };

  it('gives identical bytes for the same input, clock and random source', () => {
    const first = composeMessage(input, fixedOptions(7));
    const second = composeMessage(input, fixedOptions(7));
    expect(Buffer.from(first.bytes).equals(Buffer.from(second.bytes))).toBe(true);
  });

  it('differs only in ids and boundaries for another random source', () => {
    const first = toText(composeMessage(input, fixedOptions(7)).bytes);
    const second = toText(composeMessage(input, fixedOptions(8)).bytes);
    expect(first).not.toBe(second);
    const strip = (text: string) =>
      text.replace(/<[0-9a-f]{32}@/g, '<id@').replace(/=_smtp-notify_[0-9a-f]+/g, 'B');
    expect(strip(first)).toBe(strip(second));
  });

  it('uses the real clock and crypto when no options are given', () => {
    const message = composeMessage(minimal);
    expect(toText(message.bytes)).toMatch(/^Date: \w{3}, \d\d \w{3} \d{4} /m);
    expect(composeMessage(minimal).messageId).not.toBe(message.messageId);
  });
});

describe('composeMessage: SMTPUTF8 addresses', () => {
  it('writes a UTF-8 local part raw (RFC 6532) and asks for SMTPUTF8', async () => {
    const message = compose({ to: '用户 <用户@例子.example>' });
    expect(message.envelope.smtpUtf8).toBe(true);
    expect(message.envelope.to).toEqual(['用户@例子.example'.replace('例子', 'xn--fsqu00a')]);
    expect(toText(message.bytes)).toContain('<用户@xn--fsqu00a.example>');
    const parsed = await parseMessage(message.bytes);
    expect(parsed.to).toMatchObject({
      // mailparser shows the domain in Unicode again.
      value: [{ address: '用户@例子.example', name: '用户' }],
    });
  });

  it('turns a non-ASCII domain into an A-label without needing SMTPUTF8', () => {
    const message = compose({ to: 'ops@bücher.example' });
    expect(message.envelope).toMatchObject({ to: ['ops@xn--bcher-kva.example'], smtpUtf8: false });
    expect(message.bytes.every((byte) => byte < 0x80)).toBe(true);
  });
});

describe('composeMessage: large attachments', () => {
  it('composes a 25 MB attachment intact, without inflating beyond base64', async () => {
    const content = new Uint8Array(25 * 1024 * 1024).map((_, i) => (i * 31) & 0xff);
    const message = compose({ attachments: [{ filename: 'big.bin', content }] });
    expect(message.size).toBeLessThan(content.length * 1.4);
    const parsed = await parseMessage(message.bytes);
    expect(Buffer.from(parsed.attachments[0]?.content ?? []).equals(Buffer.from(content))).toBe(
      true,
    );
  });
});

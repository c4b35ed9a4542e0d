// Issue 6 part 5, through composeMessage and sendMail: the subject, the From, To and Reply-To
// display names and addresses, a custom header's name and value, and an attachment's file name
// carrying CR, LF, CRLF, NUL, U+2028, U+2029, U+0085, U+760D, U+760A or an encoded-word that
// decodes to CRLF + Bcc (CVE-2021-23400, CVE-2017-9801, CVE-2024-6923). Each is refused before
// connecting (MimeInputError, no connection) or arrives as harmless text: the real server saw
// exactly the intended commands and bytes, the message has exactly the intended header fields,
// and the hostile text sits inside one of them.
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { normaliseSubject } from '../../src/mime/header.js';
import {
  composeMessage,
  MimeInputError,
  type ComposedMessage,
  type MessageInput,
} from '../../src/mime/index.js';
import { sendMail } from '../../src/smtp/index.js';
import { parseMessage, topHeaderNames, wireProblems } from '../mime/compose-helpers.js';
import { localServer, useCleanups } from '../helpers/send-fixtures.js';
import {
  BREAKING,
  ENCODED_WORD_BCC,
  HOSTILE_CHARS,
  HOSTILE_NAMES,
  UNPRINTABLE,
  useErrorCapture,
  type HostileName,
} from './arbitraries.js';
import {
  COMPOSED_FIELDS,
  decodeUnstructured,
  headerProblems,
  topFieldValue,
} from './message-fields.js';
import { startWirePeer } from './wire-peer.js';

const defer = useCleanups();
const capture = useErrorCapture('injection-message: composer errors');

/** What a break-out would add: a header of its own, or a recipient. */
const PAYLOAD = 'Bcc: evil@evil.test';

type Delivered = { parsed: ParsedMail; bytes: Uint8Array };

/** Composes `extra` over an ordinary message; a refusal must be a printable MimeInputError. */
function compose(extra: Partial<MessageInput>): ComposedMessage | undefined {
  try {
    return composeMessage({
      from: 'CI <ci@example.com>',
      to: 'Dev <dev@example.com>',
      subject: 'Build 42',
      text: 'body',
      ...extra,
    });
  } catch (error) {
    capture(error);
    expect(error).toBeInstanceOf(MimeInputError);
    expect(String(error)).not.toMatch(UNPRINTABLE);
    return undefined;
  }
}

/**
 * Composes and sends `extra` to a fresh server. Returns undefined for a refusal, after checking
 * no connection was made; otherwise the message as received, after checking the server saw
 * exactly the intended commands and bytes and the message has exactly COMPOSED_FIELDS + `fields`.
 */
async function deliver(
  extra: Partial<MessageInput>,
  fields: string[],
): Promise<Delivered | undefined> {
  const peer = defer(await startWirePeer());
  const message = compose(extra);
  if (message === undefined) {
    expect(peer.connections()).toBe(0);
    return undefined;
  }
  const { envelope, bytes } = message;
  await sendMail({ ...localServer(peer.port), envelope, message: bytes });
  expect(peer.commands()).toEqual([
    'EHLO runner.example.com',
    `MAIL FROM:<ci@example.com>${envelope.smtpUtf8 ? ' SMTPUTF8' : ''}`,
    'RCPT TO:<dev@example.com>',
    'DATA',
    'QUIT',
  ]);
  expect(peer.server.received).toHaveLength(1);
  expect(peer.server.received[0]?.to).toEqual(['dev@example.com']);
  expect(peer.server.received[0]?.data.equals(bytes)).toBe(true);
  expect(wireProblems(bytes)).toEqual([]);
  expect(headerProblems(bytes)).toEqual([]);
  const names = topHeaderNames(bytes).filter((name) => !name.startsWith('content-'));
  expect([...names].sort()).toEqual([...COMPOSED_FIELDS, ...fields].sort());
  const parsed = await parseMessage(bytes);
  expect(parsed.headers.has('bcc')).toBe(false);
  return { parsed, bytes };
}

const breaks = (name: HostileName) => BREAKING.includes(name);

describe('the subject', () => {
  it.each(HOSTILE_NAMES)('keeps %s inside the one Subject field', async (name) => {
    const subject = `Build ok${HOSTILE_CHARS[name]}${PAYLOAD}`;
    const mail = await deliver({ subject }, []);
    expect(mail?.parsed.subject).toBe(normaliseSubject(subject));
    // A line break becomes a space; the CJK characters arrive as written.
    expect(mail?.parsed.subject).toBe(
      breaks(name) ? `Build ok ${PAYLOAD}` : `Build ok${HOSTILE_CHARS[name]}${PAYLOAD}`,
    );
  });

  it('keeps an encoded-word lookalike literal, never decoded into CRLF + Bcc', async () => {
    const mail = await deliver({ subject: ENCODED_WORD_BCC }, []);
    expect(mail?.parsed.subject).toBe(ENCODED_WORD_BCC);
  });
});

describe('display names in From, To and Reply-To', () => {
  const surfaces = [
    { field: 'from', address: 'ci@example.com', extra: [] as string[] },
    { field: 'to', address: 'dev@example.com', extra: [] },
    { field: 'replyTo', address: 'help@example.com', extra: ['reply-to'] },
  ] as const;
  const cases = surfaces.flatMap((surface) =>
    [...HOSTILE_NAMES, 'encoded-word' as const].map((name) => ({ ...surface, name })),
  );

  it.each(cases)('$field: refuses $name in a name, or keeps it in that name', async (c) => {
    const text =
      c.name === 'encoded-word' ? ENCODED_WORD_BCC : `CI${HOSTILE_CHARS[c.name]}${PAYLOAD}`;
    const quoted = `"${text.replace(/["\\]/g, '\\$&')}" <${c.address}>`;
    const mail = await deliver({ [c.field]: quoted }, [...c.extra]);
    if (c.name !== 'encoded-word' && breaks(c.name)) {
      expect(mail).toBeUndefined();
      return;
    }
    const header = { from: mail?.parsed.from, to: mail?.parsed.to, replyTo: mail?.parsed.replyTo }[
      c.field
    ];
    expect(header).toMatchObject({ value: [{ address: c.address, name: text }] });
  });

  // U+760D and U+760A in addresses: injection-envelope.test.ts sends them end to end.
  it.each(BREAKING)('refuses %s in an address, before connecting', async (name) => {
    for (const field of ['from', 'to', 'replyTo'] as const) {
      const address = `x${HOSTILE_CHARS[name]}y@example.com`;
      expect(await deliver({ [field]: `Name <${address}>` }, [])).toBeUndefined();
      expect(await deliver({ [field]: `${address}, evil@evil.test` }, [])).toBeUndefined();
    }
  });
});

describe('custom headers', () => {
  it.each([...HOSTILE_NAMES, 'encoded-word' as const])(
    'refuses %s in a value, or keeps it in that value',
    async (name) => {
      const value =
        name === 'encoded-word' ? ENCODED_WORD_BCC : `42${HOSTILE_CHARS[name]}${PAYLOAD}`;
      const mail = await deliver({ headers: [['X-Build', value]] }, ['x-build']);
      if (name !== 'encoded-word' && breaks(name)) {
        expect(mail).toBeUndefined();
        return;
      }
      const written = topFieldValue(mail?.bytes ?? new Uint8Array(), 'x-build');
      expect(decodeUnstructured(written ?? '')).toBe(value);
    },
  );

  it.each(HOSTILE_NAMES)('refuses %s in a name', async (name) => {
    const mail = await deliver(
      { headers: [[`X-A${HOSTILE_CHARS[name]}Bcc`, 'evil@evil.test']] },
      [],
    );
    expect(mail).toBeUndefined();
  });
});

describe('attachment file names', () => {
  it.each([...HOSTILE_NAMES, 'encoded-word' as const])(
    'keeps %s in the file name as harmless text',
    async (name) => {
      const char = name === 'encoded-word' ? '' : HOSTILE_CHARS[name];
      const filename =
        name === 'encoded-word'
          ? `${ENCODED_WORD_BCC}.pdf`
          : `report${char}Content-Type: text/html.pdf`;
      const content = new TextEncoder().encode('%PDF-1.4');
      const mail = await deliver({ attachments: [{ filename, content }] }, []);
      const [file] = mail?.parsed.attachments ?? [];
      // Controls and line separators become `_` (one per UTF-16 unit of CRLF); text stays text.
      const shown =
        name !== 'encoded-word' && breaks(name)
          ? filename.replace(char, '_'.repeat(char.length))
          : filename;
      expect(file?.filename).toBe(shown);
      expect(file?.contentType).toBe('application/pdf');
      expect(Buffer.from(file?.content ?? []).equals(Buffer.from(content))).toBe(true);
    },
  );
});

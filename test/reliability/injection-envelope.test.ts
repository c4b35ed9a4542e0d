// Issue 6 part 5, through sendMail: envelope addresses (MAIL FROM, RCPT TO), the EHLO name and
// the DSN parameters (ENVID, NOTIFY, RET) carrying CR, LF, CRLF, NUL, U+2028, U+2029, U+0085,
// U+760D, U+760A or an encoded-word lookalike. Each is refused before connecting (SmtpInputError,
// no connection) or arrives as harmless text: the real server saw exactly the intended commands
// (Python bpo-43124, Go issue 21159, CVE-2015-9096). ORCPT cannot be set through sendMail; the
// command builder's fuzz test covers it.
import { describe, expect, it } from 'vitest';
import { sendMail, SmtpInputError, type SendMailOptions } from '../../src/smtp/index.js';
import { sendOptions, useCleanups } from '../helpers/send-fixtures.js';
import {
  BREAKING,
  CJK,
  ENCODED_WORD_BCC,
  HOSTILE_CHARS,
  HOSTILE_NAMES,
  UNPRINTABLE,
  useErrorCapture,
} from './arbitraries.js';
import { startWirePeer, type WirePeer } from './wire-peer.js';

const defer = useCleanups();
const capture = useErrorCapture('injection-envelope: sendMail errors');

const message = Buffer.from('Subject: t\r\n\r\nbody\r\n');
/** The EHLO name sendOptions gives. */
const EHLO = 'runner.example.com';

/** A plaintext send of `message` from ci@ to dev@ through the peer; `extra` wins. */
function options(peer: WirePeer, extra: Partial<SendMailOptions>): SendMailOptions {
  const timeouts = { greeting: 2_000, command: 2_000, finalReply: 2_000, dataBlock: 2_000 };
  return sendOptions(peer.port, { message, timeouts, ...extra });
}

/** Sends and expects a refusal before any connection. */
async function expectRefused(extra: Partial<SendMailOptions>): Promise<void> {
  const peer = defer(await startWirePeer());
  const error: unknown = await sendMail(options(peer, extra)).then(
    () => new Error('sent, but should have been refused'),
    (caught: unknown) => caught,
  );
  capture(error);
  expect(error).toBeInstanceOf(SmtpInputError);
  expect(String(error)).not.toMatch(UNPRINTABLE);
  expect(peer.connections()).toBe(0);
}

/** Sends, then checks the server saw exactly `commands` and delivered one message. */
async function expectExactly(
  extra: Partial<SendMailOptions>,
  commands: string[],
): Promise<WirePeer> {
  const peer = defer(await startWirePeer());
  await sendMail(options(peer, extra));
  expect(peer.commands()).toEqual(commands);
  for (const line of peer.commands()) expect(line).not.toMatch(UNPRINTABLE);
  expect(peer.connections()).toBe(1);
  expect(peer.server.received).toHaveLength(1);
  expect(peer.server.received[0]?.data.equals(message)).toBe(true);
  return peer;
}

/** Where a hostile character goes in an address, with a second command after it. */
const addressForms = (char: string): [string, string][] => [
  ['in the local part', `ci${char}@example.com`],
  ['in the domain', `ci@exam${char}ple.com`],
  ['before a smuggled RCPT', `ci@example.com${char}RCPT TO:<evil@evil.test>`],
  ['before a smuggled DATA', `ci@example.com>${char}DATA${char}`],
];

describe('envelope addresses with a line break or control character', () => {
  const cases = BREAKING.flatMap((name) =>
    addressForms(HOSTILE_CHARS[name]).map(([where, address]) => ({ name, where, address })),
  );
  it.each(cases)('refuses $name $where in MAIL FROM, before connecting', async ({ address }) => {
    await expectRefused({ envelope: { from: address, to: ['dev@example.com'] } });
  });
  it.each(cases)('refuses $name $where in RCPT TO, before connecting', async ({ address }) => {
    await expectRefused({ envelope: { from: 'ci@example.com', to: ['dev@example.com', address] } });
  });
});

describe('envelope addresses with U+760D, U+760A or an encoded-word', () => {
  it.each(CJK)('sends %s in both addresses as UTF-8, with SMTPUTF8, nothing cut', async (name) => {
    const char = HOSTILE_CHARS[name];
    const from = `ci${char}@example.com`;
    const to = `dev${char}@example.com`;
    const peer = await expectExactly({ envelope: { from, to: [to] } }, [
      `EHLO ${EHLO}`,
      `MAIL FROM:<${from}> SMTPUTF8`,
      `RCPT TO:<${to}>`,
      'DATA',
      'QUIT',
    ]);
    expect(peer.server.received[0]).toMatchObject({ from, to: [to] });
  });

  it('sends an encoded-word-shaped local part as the literal text it is', async () => {
    // `=?utf-8?q?X=0D=0ABcc?=` is a Dot-string (RFC 5321 4.1.2): SMTP never decodes it.
    const from = '=?utf-8?q?X=0D=0ABcc?=@example.com';
    const peer = await expectExactly({ envelope: { from, to: ['dev@example.com'] } }, [
      `EHLO ${EHLO}`,
      `MAIL FROM:<${from}>`,
      'RCPT TO:<dev@example.com>',
      'DATA',
      'QUIT',
    ]);
    expect(peer.server.received[0]?.from).toBe(from);
  });

  it('refuses the full encoded-word lookalike, whose colon no address may hold', async () => {
    await expectRefused({ envelope: { from: `${ENCODED_WORD_BCC}@example.com`, to: ['a@b.co'] } });
  });
});

describe('the EHLO name', () => {
  const names = HOSTILE_NAMES.map((name) => ({
    name,
    value: `runner${HOSTILE_CHARS[name]}.example.com`,
  }));
  it.each([
    ...names,
    { name: 'smuggled MAIL FROM', value: `${EHLO}\r\nMAIL FROM:<evil@evil.test>` },
    { name: 'encoded-word', value: ENCODED_WORD_BCC },
  ])('refuses $name before connecting', async ({ value }) => {
    await expectRefused({ ehloName: value });
  });
});

describe('the server host name', () => {
  it.each(HOSTILE_NAMES)('refuses %s before connecting', async (name) => {
    await expectRefused({ host: `mail${HOSTILE_CHARS[name]}.example.com` });
  });
});

describe('DSN parameters (RFC 3461)', () => {
  const hostile = HOSTILE_NAMES.map((name) => ({
    name,
    char: HOSTILE_CHARS[name],
  }));
  it.each(hostile)('refuses $name in ENVID, NOTIFY or RET before connecting', async ({ char }) => {
    await expectRefused({ dsn: { envId: `build-42${char}RSET` } });
    await expectRefused({ dsn: { notify: [`SUCCESS${char}RSET` as 'SUCCESS'] } });
    await expectRefused({ dsn: { ret: `FULL${char}RSET` as 'FULL' } });
  });

  it('sends an encoded-word-shaped ENVID xtext-encoded, which the server decodes back', async () => {
    const envId = ENCODED_WORD_BCC;
    const peer = await expectExactly(
      { dsn: { envId, ret: 'HDRS', notify: ['FAILURE', 'DELAY'] } },
      [
        `EHLO ${EHLO}`,
        'MAIL FROM:<ci@example.com> RET=HDRS ENVID=+3D?utf-8?q?X+3D0D+3D0ABcc:_evil@x?+3D',
        'RCPT TO:<dev@example.com> NOTIFY=FAILURE,DELAY',
        'DATA',
        'QUIT',
      ],
    );
    expect(peer.server.received[0]?.mailArgs).toMatchObject({ ENVID: envId, RET: 'HDRS' });
  });
});

// Secrets must stay out of every error a send can end with: its message, its command, the
// server's lines it quotes, its cause and its transcript, however the session breaks. A scripted
// server plays the faults (drops, silence, echoes) that a real one will not produce on cue.
// Each error's text also goes to the suite's closing hygiene check (test/hygiene).
import { describe, expect, it } from 'vitest';
import { SmtpProtocolError, SmtpReplyError, type SmtpError } from '../../src/smtp/index.js';
import { captureForHygiene, TEST_PASSWORD, TEST_USERNAME } from '../helpers/hygiene.js';
import { startScriptedServer, type Script } from '../helpers/scripted-server.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { envelopeGroup, greetedWith, scripted, sendFailure } from '../helpers/send-fixtures.js';

const password = TEST_PASSWORD;
const username = TEST_USERNAME;
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const plainBlob = base64(`\0${username}\0${password}`);

const greetedWithAuth = greetedWith('250-mx.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n');
/** LOGIN up to the point where the client has sent the password. */
const loginSent: Script = [
  ...greetedWithAuth,
  { expect: 'AUTH LOGIN' },
  { send: '334 VXNlcm5hbWU6\r\n' },
  { expect: base64(username) },
  { send: '334 UGFzc3dvcmQ6\r\n' },
  { expect: base64(password) },
];

async function failure(script: Script, mechanism: 'PLAIN' | 'LOGIN' = 'PLAIN'): Promise<SmtpError> {
  const server = await scripted(script);
  // tls 'none' to loopback: AUTH without TLS is allowed.
  const error = await sendFailure(server.port, { auth: { username, password, mechanism } });
  expect(server.connections[0]?.failures).toEqual([]);
  captureForHygiene('everything a send error exposes', everythingIn(error));
  captureForHygiene('String() of a send error', String(error));
  return error;
}

/** Everything an error exposes to a log: message, fields, reply, causes and transcript. */
function everythingIn(error: SmtpError): string {
  const parts = [error.command ?? '', JSON.stringify(error.reply ?? null)];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    parts.push(cause.message, cause.stack ?? '');
  }
  parts.push(...error.transcript.map((entry) => entry.text));
  return parts.join('\n');
}

describe('no secret in an error, whatever breaks', () => {
  it('the connection drops right after the LOGIN password', async () => {
    const error = await failure([...loginSent, { drop: true }], 'LOGIN');
    expect(error.phase).toBe('auth');
    assertNoSecrets(everythingIn(error), [password]);
  });

  it('the server never answers the LOGIN password', async () => {
    const error = await failure([...loginSent, { delay: 2000 }], 'LOGIN');
    expect(error.phase).toBe('auth');
    expect(error.transient).toBe(true);
    assertNoSecrets(everythingIn(error), [password]);
  });

  it.each([
    ['the blob', plainBlob],
    // Quoted with the verb, the blob is cut off where no whole base64 form of it remains.
    ['the whole command line', `AUTH PLAIN ${plainBlob}`],
  ])('the server echoes %s as a malformed reply', async (_name, echo) => {
    const error = await failure([
      ...greetedWithAuth,
      { expect: `AUTH PLAIN ${plainBlob}` },
      { send: `${echo}\r\n` },
    ]);
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error.phase).toBe('auth');
    const text = everythingIn(error);
    assertNoSecrets(text, [password]);
    expect(text).not.toContain(plainBlob.slice(6, 24));
  });

  it('the server quotes the password in a later reply', async () => {
    const error = await failure([
      ...greetedWithAuth,
      { expect: `AUTH PLAIN ${plainBlob}` },
      { send: '235 2.7.0 ok\r\n' },
      ...envelopeGroup,
      {
        send: `550 5.7.1 ${password} is not a sender\r\n503 5.5.1 no MAIL\r\n503 5.5.1 no MAIL\r\n`,
      },
      { expect: 'QUIT' },
      { send: '221 bye\r\n' },
    ]);
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.code).toBe(550);
    expect(error.enhancedCode).toBe('5.7.1');
    expect(error.reply?.lines[0]).toBe('5.7.1 [redacted] is not a sender');
    assertNoSecrets(everythingIn(error), [password]);
  });
});

describe('a password shorter than 4 characters', () => {
  const short = 'p';
  const shortBlob = base64(`\0ci\0${short}`);
  /** `p` standing alone, not inside a word: how a server would quote it. */
  const shortAsToken = /(?<![\p{L}\p{M}\p{N}])p(?![\p{L}\p{M}\p{N}])/u;

  it('is redacted where the server echoes it as a token, and no word loses a letter', async () => {
    const server = await scripted([
      ...greetedWith('250-mx.test happy to help\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n'),
      { expect: `AUTH PLAIN ${shortBlob}` },
      { send: '235 2.7.0 accepted, proceed\r\n' },
      ...envelopeGroup,
      {
        send: '550 5.7.1 password p (user ci) is not permitted\r\n503 5.5.1 no MAIL\r\n503 5.5.1 no MAIL\r\n',
      },
      { expect: 'QUIT' },
      { send: '221 bye, stopping\r\n' },
    ]);
    const error = await sendFailure(server.port, {
      auth: { username: 'ci', password: short, mechanism: 'PLAIN' },
    });
    expect(server.connections[0]?.failures).toEqual([]);
    const quoted = '5.7.1 password [redacted] (user ci) is not permitted';
    expect(error.reply?.lines).toEqual([quoted]);
    expect(error.message).toBe(
      `MAIL FROM:<ci@example.com> failed: the server replied 550 ${quoted}`,
    );
    const transcript = error.transcript.map((entry) => entry.text);
    expect(transcript).toEqual(
      expect.arrayContaining([
        '250-mx.test happy to help',
        'AUTH PLAIN [redacted]',
        '235 2.7.0 accepted, proceed',
        `550 ${quoted}`,
        '221 bye, stopping',
      ]),
    );
    expect(everythingIn(error)).not.toMatch(shortAsToken);
    expect(everythingIn(error)).not.toContain(shortBlob);
  });

  it('leaves the words of an error message whole', async () => {
    const closed = await startScriptedServer([]);
    const { port } = closed;
    await closed.close();
    const error = await sendFailure(port, { auth: { username: 'ci', password: short } });
    expect(error.phase).toBe('connect');
    expect(error.message).toContain(
      `nothing listens on 127.0.0.1:${port}; check the host and port`,
    );
  });
});

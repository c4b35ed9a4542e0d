// Adversarial checks of the pipelining added in issue 5: AUTH PLAIN leading the envelope group
// (RFC 4954 4), the next envelope riding with the final dot (RFC 2920 3.1), and the lone dot
// that ends an empty pipelined transaction. A scripted server for replies no real server gives,
// the fault server where an honest server with one wrong reply is enough.
import { describe, expect, it } from 'vitest';
import { SmtpAuthError, SmtpReplyError, SmtpTimeoutError } from '../../src/smtp/index.js';
import { startFaultServer, type Fault, type FaultServerOptions } from '../helpers/fault-server.js';
import { TEST_PASSWORD, TEST_USERNAME } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import {
  pipelinedEnvelope,
  scripted,
  sendFailure,
  sendOptions,
  useCleanups,
} from '../helpers/send-fixtures.js';
import { sendMail } from '../../src/smtp/index.js';
import { captureFailure } from './pipelining-fixtures.js';

const defer = useCleanups();
const auth = { username: TEST_USERNAME, password: TEST_PASSWORD };

async function faultServer(options: FaultServerOptions) {
  return defer(await startFaultServer(options));
}

function capture(error: unknown): void {
  captureFailure('pipelining review', error);
}

describe('the lone dot after an empty pipelined transaction (RFC 2920 3.1)', () => {
  // RFC 2920 3.1 sends "a single dot" when no RCPT was accepted but DATA got 354: the server
  // has nobody to deliver to. When the server accepted a RCPT, that dot would complete a
  // transaction the client never meant: an empty message delivered.
  it('is not sent when MAIL got a 3yz but a RCPT was accepted and DATA got 354', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '354 out of step\r\n250 2.1.5 ok\r\n354 go ahead\r\n' },
    ]);
    const error = await sendFailure(server.port);
    capture(error);
    await server.connections[0]?.closed;
    expect(error).toMatchObject({ phase: 'mail', code: 354 });
    expect(server.connections[0]?.lines).not.toContain('.');
  });

  it('is not sent when MAIL was refused but a RCPT was accepted and DATA got 354', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '550 5.7.1 no\r\n250 2.1.5 ok\r\n354 go ahead\r\n' },
    ]);
    const error = await sendFailure(server.port);
    capture(error);
    await server.connections[0]?.closed;
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error).toMatchObject({ phase: 'mail', code: 550 });
    expect(server.connections[0]?.lines).not.toContain('.');
  });
});

describe('AUTH PLAIN leading the envelope group, refused', () => {
  const verbs = (commands: readonly string[] | undefined) =>
    (commands ?? []).map((line) => line.split(/[ :]/)[0]);

  async function refusedAuth(reply: string, then?: 'end') {
    const fault: Fault = { at: 'AUTH', action: { reply: [reply], ...(then ? { then } : {}) } };
    const server = await faultServer({ faults: [fault] });
    const error = await sendFailure(server.port, { auth });
    capture(error);
    assertNoSecrets(`${String(error)}\n${error.message}`, [TEST_PASSWORD]);
    await server.connections[0]?.closed;
    return { error, server };
  }

  it('454 is a transient AUTH error; the group is read out and QUIT sent', async () => {
    const { error, server } = await refusedAuth('454 4.7.0 Temporary authentication failure');
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error).toMatchObject({ phase: 'auth', code: 454, transient: true });
    expect(error.outcome).toBe('not-delivered');
    expect(verbs(server.connections[0]?.commands)).toEqual([
      'EHLO',
      'AUTH',
      'MAIL',
      'RCPT',
      'DATA',
      'QUIT',
    ]);
    expect(server.connections[0]?.contents).toHaveLength(0);
  });

  it('538 names the AUTH reply and its advice, never the 530s that followed it', async () => {
    const { error, server } = await refusedAuth('538 5.7.11 Encryption required');
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error).toMatchObject({ phase: 'auth', code: 538, transient: false });
    expect(error.message).toContain('538');
    expect(error.message).not.toContain('530');
    expect(server.accepted).toHaveLength(0);
  });

  it('421 drops the connection without QUIT', async () => {
    const { error, server } = await refusedAuth('421 4.3.2 closing', 'end');
    expect(error).toMatchObject({ phase: 'auth', code: 421, transient: true });
    expect(server.connections[0]?.commands).not.toContain('QUIT');
    expect(server.connections[0]?.contents).toHaveLength(0);
  });

  it('a silent server times out once at AUTH, and nothing is sent after the group', async () => {
    const server = await faultServer({ faults: [{ at: 'AUTH', action: 'silent' }] });
    const error = await sendFailure(server.port, { auth });
    capture(error);
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    await server.connections[0]?.closed;
    expect(server.connections[0]?.contents).toHaveLength(0);
    expect(verbs(server.connections[0]?.commands).at(-1)).toBe('DATA');
  });
});

describe('the next envelope riding with the dot', () => {
  const to = ['a@example.com', 'b@example.com', 'c@example.com'];
  const deferAfterFirst: Fault[] = [
    { at: 'RCPT', nth: 2, action: { reply: ['452 4.5.3 Too many recipients'] } },
    { at: 'RCPT', nth: 3, action: { reply: ['452 4.5.3 Too many recipients'] } },
  ];

  it('a refused next MAIL after a delivered dot is a partial failure at MAIL', async () => {
    const server = await faultServer({
      faults: [...deferAfterFirst, { at: 'MAIL', nth: 2, action: { reply: ['550 5.7.1 no'] } }],
    });
    const error = await sendFailure(server.port, { envelope: { from: 'ci@example.com', to } });
    capture(error);
    await server.connections[0]?.closed;
    expect(error).toMatchObject({ phase: 'mail', code: 550, outcome: 'partial' });
    expect(error.delivered).toEqual(['a@example.com']);
    expect(server.accepted).toHaveLength(1);
    expect(server.connections[0]?.commands.at(-1)).toBe('QUIT');
  });

  it('a later chunk deferred whole ends (no loop), its recipients reported refused', async () => {
    const server = await faultServer({
      faults: [
        ...deferAfterFirst,
        { at: 'RCPT', nth: 4, action: { reply: ['452 4.5.3 Too many recipients'] } },
        { at: 'RCPT', nth: 5, action: { reply: ['452 4.5.3 Too many recipients'] } },
      ],
    });
    const result = await sendMail(
      sendOptions(server.port, { envelope: { from: 'ci@example.com', to } }),
    );
    expect(result.accepted.map((r) => r.address)).toEqual(['a@example.com']);
    expect(result.rejected.map((r) => r.address)).toEqual(['b@example.com', 'c@example.com']);
    expect(server.accepted).toHaveLength(1);
    expect(server.connections[0]?.commands.filter((c) => c.startsWith('MAIL'))).toHaveLength(2);
  });
});

describe('AUTH PLAIN that cannot be written', () => {
  // Over 512 octets the initial response leaves the AUTH line and PLAIN no longer leads the
  // group (RFC 4954 4, test/smtp/auth/initial-response-length.test.ts); over 12288 it fits no
  // line at all. Either way the input error comes at once: no wait for replies to commands
  // never sent (the command timeout is longer than the test's), and no MAIL goes out.
  it('fails at once as input, before any MAIL', async () => {
    const server = await faultServer({});
    const long = { username: TEST_USERNAME, password: TEST_PASSWORD.repeat(500).slice(0, 10_000) };
    const error = await sendFailure(server.port, { auth: long, timeouts: { command: 10_000 } });
    capture(error);
    await server.connections[0]?.closed;
    expect(error.name).toBe('SmtpInputError');
    const verbs = server.connections[0]?.commands.map((line) => line.split(' ')[0]);
    expect(verbs).not.toContain('MAIL');
  }, 5_000);
});

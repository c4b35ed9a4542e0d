// Issue 6, part 1: the server's greeting and EHLO, played by the fault server. The honest server
// first (a fault suite whose server cannot deliver proves nothing), then each misbehaviour.
// Overlap: test/smtp/session-faults.test.ts checks the type and phase of a silent and a 554
// greeting against a scripted server; here the same through the fault server, with what the
// server received, the message a user reads, and the EHLO faults it lacks.
import { describe, expect, it } from 'vitest';
import {
  SmtpConnectionError,
  SmtpProtocolError,
  SmtpReplyError,
  SmtpTimeoutError,
} from '../../src/smtp/index.js';
import {
  BODY_MARK,
  allClosed,
  closing,
  expectNoContent,
  expectPasswordOnlyInAuth,
  faultSend,
  faultServer,
  securedAuth,
  sendFailure,
  sendSuccess,
} from './server-fixtures.js';

describe('the fault server behaving', () => {
  const implicit = { ...securedAuth, tls: 'implicit' } as const;

  it('takes one message over STARTTLS and AUTH PLAIN, the password only inside AUTH', async () => {
    const server = await faultServer();
    const result = await sendSuccess('honest server', faultSend(server.port, securedAuth));
    expect(result.reply.lines[0]).toMatch(/^2\.0\.0 Ok: queued as FAULT1/);
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(result.authMechanism).toBe('PLAIN');
    expect(server.accepted).toHaveLength(1);
    expect(server.accepted[0]?.toString()).toContain(BODY_MARK);
    const [connection] = server.connections;
    expect(connection?.commands.filter((line) => /^EHLO /.test(line))).toHaveLength(2);
    expect(connection?.authLines).toHaveLength(1);
    expect(connection?.commands.at(-1)).toBe('QUIT');
    if (connection !== undefined) expectPasswordOnlyInAuth(connection);
  });

  it('speaks TLS from the first byte when asked (implicit TLS, RFC 8314)', async () => {
    const server = await faultServer({ implicitTls: true });
    const result = await sendSuccess('honest implicit TLS', faultSend(server.port, implicit));
    expect(result.tls).toBeDefined();
    expect(server.accepted).toHaveLength(1);
    // Nothing to upgrade: STARTTLS is neither offered nor sent.
    expect(server.connections[0]?.commands.filter((line) => /^EHLO /.test(line))).toHaveLength(1);
    expect(server.connections[0]?.commands).not.toContain('STARTTLS');
  });

  it('plays a fault over implicit TLS as over plaintext', async () => {
    const server = await faultServer({
      implicitTls: true,
      faults: [{ at: 'MAIL', action: closing }],
    });
    const error = await sendFailure('implicit TLS 421', faultSend(server.port, implicit));
    expect(error.phase).toBe('mail');
    expect(error.code).toBe(421);
    expectNoContent(server);
  });

  it('refuses a wrong password with 535 and takes no message', async () => {
    const server = await faultServer();
    const wrong = { ...securedAuth, auth: { username: 'ci-bot@example.test', password: 'nope-x' } };
    const error = await sendFailure('wrong password', faultSend(server.port, wrong));
    expect(error.code).toBe(535);
    expectNoContent(server);
  });
});

describe('the greeting', () => {
  it('never comes: a timeout naming the greeting, nothing sent', async () => {
    const server = await faultServer({ faults: [{ at: 'greeting', action: 'silent' }] });
    const error = await sendFailure('silent greeting', faultSend(server.port));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.phase).toBe('greeting');
    expect(error.transient).toBe(true);
    expect(error.outcome).toBe('not-delivered');
    expect(error.message).toMatch(/sent no greeting within 400 ms/);
    expect(server.connections[0]?.received).toEqual([]);
    await allClosed(server);
  });

  it('is 554: a permanent refusal quoting the server, no EHLO sent', async () => {
    const faults = [
      { at: 'greeting', action: { reply: ['554 5.7.1 No service for you'] } },
    ] as const;
    const server = await faultServer({ faults });
    const error = await sendFailure('554 greeting', faultSend(server.port));
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.phase).toBe('greeting');
    expect(error.code).toBe(554);
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/greeting.*554 5\.7\.1 No service for you/);
    expect(server.connections[0]?.commands.filter((line) => line !== 'QUIT')).toEqual([]);
  });

  it.each([
    ['dropped', 'drop'],
    ['closed', 'end'],
  ] as const)('is %s instead: a transient connection error in the greeting', async (_, action) => {
    const server = await faultServer({ faults: [{ at: 'greeting', action }] });
    const error = await sendFailure(`greeting ${action}`, faultSend(server.port));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.phase).toBe('greeting');
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/closed the connection during greeting|failed during greeting/);
  });
});

describe('EHLO', () => {
  it('is refused with 550 while STARTTLS is required: no HELO, no STARTTLS, no AUTH', async () => {
    const faults = [{ at: 'EHLO', action: { reply: ['550 5.7.1 Go away'] } }] as const;
    const server = await faultServer({ faults });
    const error = await sendFailure('EHLO 550', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.phase).toBe('ehlo');
    expect(error.code).toBe(550);
    expect(error.message).toMatch(/^EHLO failed: the server replied 550 5\.7\.1 Go away/);
    const sent = server.connections[0]?.commands ?? [];
    expect(sent.filter((line) => /^(HELO|STARTTLS|AUTH|MAIL)/.test(line))).toEqual([]);
  });

  it('after STARTTLS is answered with nothing: a timeout naming EHLO, no AUTH sent', async () => {
    const faults = [{ at: 'EHLO', nth: 2, action: 'silent' }] as const;
    const server = await faultServer({ faults });
    const error = await sendFailure('EHLO over TLS silent', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.phase).toBe('ehlo');
    expect(error.message).toMatch(/did not answer EHLO runner\.example\.com within 400 ms/);
    expect(server.connections[0]?.authLines).toEqual([]);
  });

  it('is dropped in the middle of its multi-line reply', async () => {
    const cut = { raw: '250-fault.test\r\n250-PIPEL', then: 'drop' } as const;
    const server = await faultServer({ faults: [{ at: 'EHLO', action: cut }] });
    const error = await sendFailure('EHLO cut', faultSend(server.port));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.phase).toBe('ehlo');
    expect(error.message).toMatch(/in the middle of a reply during ehlo/);
    expect(error).not.toBeInstanceOf(SmtpProtocolError);
  });
});

// Issue 6, part 1: STARTTLS (RFC 3207) against a server that injects, withholds or refuses it.
// With tls 'starttls' every one of these must fail closed: no AUTH, no envelope, no content.
// Overlap: test/smtp/session-faults.test.ts checks the type and phase of an injection (a whole
// fake EHLO reply) and of a 454 refusal; here, through the fault server, also a partial injected
// line, an offer withheld, a 220 followed by nothing, and what the server received each time.
import { describe, expect, it } from 'vitest';
import {
  SmtpConnectionError,
  SmtpProtocolError,
  SmtpTimeoutError,
  SmtpTlsError,
} from '../../src/smtp/index.js';
import type { FaultConnection } from '../helpers/fault-server.js';
import {
  expectNoContent,
  expectPasswordOnlyInAuth,
  faultSend,
  faultServer,
  securedAuth,
  sendFailure,
  sendSuccess,
} from './server-fixtures.js';

/** Nothing after the failed upgrade: no AUTH line, no envelope, no password anywhere. */
function expectStoppedAtStartTls(connection: FaultConnection | undefined): void {
  expect(connection?.authLines).toEqual([]);
  expect(connection?.commands.filter((line) => /^(AUTH|MAIL|RCPT|DATA)/i.test(line))).toEqual([]);
  if (connection !== undefined) expectPasswordOnlyInAuth(connection);
}

describe('bytes injected after the 220 to STARTTLS (CVE-2011-0411)', () => {
  it.each([
    ['a whole fake EHLO reply', '250-mx.test\r\n250 AUTH PLAIN\r\n'],
    ['part of a line', '250-AUTH PL'],
    ['a second 220', '220 go on\r\n'],
  ])('refuses %s before any handshake', async (_name, inject) => {
    const server = await faultServer({ faults: [{ at: 'STARTTLS', action: { inject } }] });
    const error = await sendFailure('STARTTLS injection', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error.phase).toBe('starttls');
    expect(error.command).toBe('STARTTLS');
    expect(error.message).toMatch(/sent data after its 220 reply to STARTTLS.*CVE-2011-0411/);
    expect(error.outcome).toBe('not-delivered');
    const [connection] = server.connections;
    expect(connection?.commands.filter((line) => /^EHLO /.test(line))).toHaveLength(1);
    expectStoppedAtStartTls(connection);
    expectNoContent(server);
  });
});

describe('bytes after the 220 that are no reply at all', () => {
  it('fail closed too, as a malformed reply in STARTTLS, before any handshake', async () => {
    const inject = 'not a reply\r\n';
    const server = await faultServer({ faults: [{ at: 'STARTTLS', action: { inject } }] });
    const error = await sendFailure('STARTTLS garbage', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error.phase).toBe('starttls');
    // In the same packet as the 220, the line is read (and refused) before the upgrade starts.
    expect(error.message).toMatch(/^The server sent a malformed reply: .*during starttls/);
    expect(server.connections[0]?.commands.filter((line) => /^EHLO /.test(line))).toHaveLength(1);
    expectStoppedAtStartTls(server.connections[0]);
  });
});

describe('STARTTLS withheld or refused', () => {
  it('is not offered: fails closed before sending anything else, saying what to change', async () => {
    const server = await faultServer({ offerStartTls: false });
    const error = await sendFailure('STARTTLS not offered', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.phase).toBe('starttls');
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/does not offer STARTTLS, and tls 'starttls' requires it/);
    expect(server.connections[0]?.commands.some((line) => line === 'STARTTLS')).toBe(false);
    expectStoppedAtStartTls(server.connections[0]);
  });

  it.each([
    [454, '454 4.7.0 TLS not available due to temporary reason', true],
    [502, '502 5.5.1 Command not implemented', false],
    [554, '554 5.7.3 Unable to initialize security subsystem', false],
  ])('is refused with %i: an SmtpTlsError quoting the server', async (code, line, transient) => {
    const faults = [{ at: 'STARTTLS', action: { reply: [line] } }] as const;
    const server = await faultServer({ faults });
    const error = await sendFailure(`STARTTLS ${code}`, faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.phase).toBe('starttls');
    expect(error.code).toBe(code);
    expect(error.transient).toBe(transient);
    expect(error.message).toContain(`STARTTLS failed: the server replied ${line}`);
    expectStoppedAtStartTls(server.connections[0]);
  });

  it('is never answered: a timeout naming STARTTLS', async () => {
    const server = await faultServer({ faults: [{ at: 'STARTTLS', action: 'silent' }] });
    const error = await sendFailure('STARTTLS silent', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.phase).toBe('starttls');
    expect(error.message).toMatch(/did not answer STARTTLS within 400 ms/);
    expectStoppedAtStartTls(server.connections[0]);
  });

  it.each(['drop', 'end'] as const)(
    'gets a 220 and then the connection is closed (%s): no handshake, nothing sent',
    async (then) => {
      const faults = [{ at: 'STARTTLS', action: { reply: ['220 2.0.0 Go ahead'], then } }] as const;
      const server = await faultServer({ faults });
      const error = await sendFailure(`STARTTLS then ${then}`, faultSend(server.port, securedAuth));
      expect([SmtpTlsError, SmtpConnectionError]).toContain(error.constructor);
      expect(error.phase).toBe('starttls');
      expect(error.transient).toBe(true);
      expectStoppedAtStartTls(server.connections[0]);
    },
  );

  it('gets its 220 split at every byte and still upgrades', async () => {
    const server = await faultServer({ faults: [{ at: 'STARTTLS', action: 'split' }] });
    const result = await sendSuccess('STARTTLS split', faultSend(server.port, securedAuth));
    expect(result.tls).toBeDefined();
    expect(server.accepted).toHaveLength(1);
  });
});

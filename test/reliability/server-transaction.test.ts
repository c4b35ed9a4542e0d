// Issue 6, part 1: a 421 at each command, DATA refused, and the connection dropped before and
// during the message content, played by the fault server over STARTTLS with AUTH.
// Overlap: test/smtp/session-faults.test.ts has a 421 to a pipelined group and drops before the
// greeting, after EHLO, after the envelope and during a large content, each checked for type,
// phase and outcome; transaction-refusals.test.ts a 421 mid-envelope with refused recipients.
// Here every command gets its 421 in one table, with the message a user reads and what the
// server received; DATA refusals and a FIN during the content are new.
import { describe, expect, it } from 'vitest';
import {
  SmtpAuthError,
  SmtpConnectionError,
  SmtpReplyError,
  SmtpTimeoutError,
  SmtpTlsError,
  type SmtpError,
} from '../../src/smtp/index.js';
import type { FaultPlace } from '../helpers/fault-server.js';
import {
  closing,
  expectNoContent,
  expectPasswordOnlyInAuth,
  faultSend,
  faultServer,
  largeMessage,
  securedAuth,
  sendFailure,
  sendSuccess,
} from './server-fixtures.js';

describe('421 at each command (RFC 5321 3.8)', () => {
  it.each([
    ['greeting', SmtpReplyError, 'greeting', /^the greeting \(connection opened\) failed/],
    ['EHLO', SmtpReplyError, 'ehlo', /^EHLO failed/],
    ['STARTTLS', SmtpTlsError, 'starttls', /^STARTTLS failed/],
    ['AUTH', SmtpAuthError, 'auth', /^AUTH PLAIN failed/],
    ['MAIL', SmtpReplyError, 'mail', /^MAIL FROM:<ci@example\.com> failed/],
    ['RCPT', SmtpReplyError, 'rcpt', /^RCPT TO:<dev@example\.com> failed/],
    ['DATA', SmtpReplyError, 'data', /^DATA failed/],
    ['dot', SmtpReplyError, 'message', /^the end of the message \(\.\) failed/],
  ] as [FaultPlace, typeof SmtpError, string, RegExp][])(
    'at %s: transient, not delivered, the connection given up at once',
    async (at, type, phase, start) => {
      const server = await faultServer({ faults: [{ at, action: closing }] });
      const error = await sendFailure(`421 at ${at}`, faultSend(server.port, securedAuth));
      expect(error).toBeInstanceOf(type);
      expect(error.phase).toBe(phase);
      expect(error.code).toBe(421);
      expect(error.enhancedCode).toBe('4.3.2');
      expect(error.transient).toBe(true);
      expect(error.outcome).toBe('not-delivered');
      expect(error.message).toMatch(start);
      expect(error.message).toContain('the server replied 421 4.3.2 Service shutting down');
      const [connection] = server.connections;
      if (connection === undefined) throw new Error('no connection');
      // RFC 5321 3.8: the server closes after 421, so nothing more is said, not even QUIT;
      // only after the dot may QUIT have gone out already, in the same flight (RFC 2920 3.1).
      const quits = connection.commands.filter((line) => line === 'QUIT');
      expect(quits).toHaveLength(at === 'dot' ? 1 : 0);
      expectPasswordOnlyInAuth(connection);
      expect(server.accepted).toEqual([]);
      if (at !== 'dot') expectNoContent(server);
      else expect(connection.contents).toHaveLength(1);
    },
  );

  it('at QUIT, after the message was accepted: sent, with a warning', async () => {
    const server = await faultServer({ faults: [{ at: 'QUIT', action: closing }] });
    const result = await sendSuccess('421 at QUIT', faultSend(server.port, securedAuth));
    expect(result.accepted.map((r) => r.address)).toEqual(['dev@example.com']);
    expect(result.warnings.join('\n')).toMatch(/QUIT did not complete cleanly.*421/);
    expect(server.accepted).toHaveLength(1);
  });
});

describe('DATA refused', () => {
  it.each([
    ['554 5.5.1 No valid recipients', 554, false],
    ['451 4.3.0 Try again later', 451, true],
    ['250 2.0.0 OK', 250, false],
  ] as const)('with "%s": no content sent, QUIT after', async (line, code, transient) => {
    const faults = [{ at: 'DATA', action: { reply: [line] } }] as const;
    const server = await faultServer({ faults });
    const error = await sendFailure(`DATA ${code}`, faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.phase).toBe('data');
    expect(error.code).toBe(code);
    expect(error.transient).toBe(transient);
    expect(error.outcome).toBe('not-delivered');
    expect(error.message).toBe(`DATA failed: the server replied ${line}`);
    expectNoContent(server);
    await server.connections[0]?.closed;
    expect(server.connections[0]?.commands.at(-1)).toBe('QUIT');
  });

  it('with no answer at all: a timeout naming DATA, no content sent', async () => {
    const server = await faultServer({ faults: [{ at: 'DATA', action: 'silent' }] });
    const error = await sendFailure('DATA silent', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.phase).toBe('data');
    expect(error.message).toMatch(/did not answer DATA within 400 ms/);
    expectNoContent(server);
  });
});

/** Big enough that the client is still writing it when the server stops reading. */
const bigMessage = largeMessage(8);

describe('the connection dropped around the content', () => {
  it('before it: a drop instead of the 354 to DATA', async () => {
    const server = await faultServer({ faults: [{ at: 'DATA', action: 'drop' }] });
    const error = await sendFailure('drop at DATA', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.phase).toBe('data');
    expect(error.transient).toBe(true);
    expect(error.outcome).toBe('not-delivered');
    expect(error.message).toMatch(/closed the connection during data \(DATA\)/);
    expectNoContent(server);
  });

  it.each(['drop', 'end'] as const)(
    'during it (%s at byte 65536): not delivered, and the dot never reached the server',
    async (action) => {
      const server = await faultServer({ faults: [{ at: 'content', byte: 65_536, action }] });
      const options = faultSend(server.port, { ...securedAuth, message: bigMessage });
      const error = await sendFailure(`${action} during content`, options);
      expect(error).toBeInstanceOf(SmtpConnectionError);
      expect(error.phase).toBe('message');
      expect(error.transient).toBe(true);
      expect(error.outcome).toBe('not-delivered');
      expect(error.message).toMatch(/during message \(the message content\)/);
      await server.connections[0]?.closed;
      // The end of the content never arrived: no complete message, nothing accepted.
      expect(server.connections[0]?.contents).toEqual([]);
      expect(server.accepted).toEqual([]);
    },
  );
});

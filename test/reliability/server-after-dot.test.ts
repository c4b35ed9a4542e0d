// Issue 6, part 1: after the final dot, where a wrong guess means a lost or a duplicate message.
// A reply says what happened (4xx, 5xx: not delivered); without one, nobody knows (RFC 5321
// 4.5.3.2.6), and the error must say `unknown` so that nothing retries it.
// Overlap: test/smtp/session-faults.test.ts has a 451 after the dot (phase, code, transient), a
// drop after it (outcome unknown) and a 250 followed by a broken QUIT; here through the fault
// server, with the 5xx side, FIN, silence and malformed replies after the dot, the message a
// user reads, and the server's count of copies.
import { describe, expect, it } from 'vitest';
import {
  SmtpConnectionError,
  SmtpProtocolError,
  SmtpReplyError,
  SmtpTimeoutError,
  type SmtpError,
} from '../../src/smtp/index.js';
import type { FaultAction } from '../helpers/fault-server.js';
import {
  BODY_MARK,
  faultSend,
  faultServer,
  securedAuth,
  sendFailure,
  sendSuccess,
} from './server-fixtures.js';

/**
 * Sends once with `action` after the dot. The server holds exactly one copy of the content
 * whatever it answered; whether it took it is for each test to say.
 */
async function afterDot(action: FaultAction): Promise<SmtpError> {
  const server = await faultServer({ faults: [{ at: 'dot', action }] });
  const source = `after the dot: ${JSON.stringify(action)}`;
  const error = await sendFailure(source, faultSend(server.port, securedAuth));
  expect(error.phase).toBe('message');
  const [connection] = server.connections;
  expect(server.connections).toHaveLength(1);
  expect(connection?.contents).toHaveLength(1);
  expect(connection?.contents[0]?.toString()).toContain(BODY_MARK);
  // A refusal means the server did not take it (the fault server counts a 2yz reply as taken).
  if (error.code !== undefined) expect(server.accepted).toEqual([]);
  return error;
}

describe('a reply to the final dot that refuses the message', () => {
  it.each([
    ['451 4.3.0 Queue full, try later', 451, true],
    ['452 4.3.1 Insufficient system storage', 452, true],
    ['554 5.7.1 Message rejected as spam', 554, false],
    ['552 5.3.4 Message too big', 552, false],
  ] as const)('"%s": known not delivered, quoted in full', async (line, code, transient) => {
    const error = await afterDot({ reply: [line] });
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.code).toBe(code);
    expect(error.transient).toBe(transient);
    expect(error.outcome).toBe('not-delivered');
    expect(error.message).toBe(`the end of the message (.) failed: the server replied ${line}`);
  });

  it('a multi-line 5xx is quoted on one line', async () => {
    const error = await afterDot({ reply: ['550-5.7.1 Rejected:', '550 5.7.1 see the policy'] });
    expect(error.code).toBe(550);
    expect(error.message).toBe(
      'the end of the message (.) failed: the server replied 550 5.7.1 Rejected: / 550 5.7.1 see the policy',
    );
  });
});

describe('no reply to the final dot: the outcome is unknown', () => {
  it.each([
    ['dropped', 'drop', SmtpConnectionError, /closed the connection during message/],
    ['closed (FIN)', 'end', SmtpConnectionError, /closed the connection during message/],
    [
      'never answered',
      'silent',
      SmtpTimeoutError,
      /did not answer the end of the message \(\.\) within 400 ms/,
    ],
  ] as const)('%s', async (_name, action, type, message) => {
    const error = await afterDot(action);
    expect(error).toBeInstanceOf(type);
    expect(error.outcome).toBe('unknown');
    expect(error.reply).toBeUndefined();
    expect(error.message).toMatch(message);
  });

  it.each([
    ['mismatched codes', 'protocol', { reply: ['250-2.0.0 Ok', '550 5.7.1 no'] }],
    ['a non-numeric code', 'protocol', { reply: ['OK queued'] }],
    ['an endless reply', 'protocol', { endless: 'lines' }],
    ['a reply cut off mid-line', 'connection', { raw: '250 2.0.0 queu', then: 'drop' }],
  ] as const)('malformed (%s): a %s error, unknown', async (_name, kind, action) => {
    const type = kind === 'protocol' ? SmtpProtocolError : SmtpConnectionError;
    const error = await afterDot(action);
    // The exact class: a reply cut off is the network's doing (transient), a malformed one the
    // server's (not transient); either way the dot went out and no reply says what became of it.
    expect(error.constructor).toBe(type);
    expect(error.outcome).toBe('unknown');
    expect(error.reply).toBeUndefined();
    expect(error.transient).toBe(type === SmtpConnectionError);
  });
});

describe('a 250 to the final dot', () => {
  it('followed in the same packet by a malformed reply to QUIT: sent, with a warning', async () => {
    // The 250 is the evidence that the server took the message; what breaks after it cannot
    // undo that, and reporting "unknown" would leave a person to check a delivered message.
    const raw = { raw: '250 2.0.0 Ok: queued as Q1\r\nnot a reply\r\n' } as const;
    const server = await faultServer({ faults: [{ at: 'dot', action: raw }] });
    const result = await sendSuccess('250 then garbage', faultSend(server.port, securedAuth));
    expect(result.reply.lines).toEqual(['2.0.0 Ok: queued as Q1']);
    expect(result.warnings.join('\n')).toMatch(/QUIT did not complete cleanly/);
    expect(server.accepted).toHaveLength(1);
  });

  it('split at every byte is still one accepted message', async () => {
    const server = await faultServer({ faults: [{ at: 'dot', action: 'split' }] });
    const result = await sendSuccess('dot reply split', faultSend(server.port, securedAuth));
    expect(result.reply.code).toBe(250);
    expect(result.reply.lines).toEqual(['2.0.0 Ok: queued as FAULT1']);
    expect(server.accepted).toHaveLength(1);
  });
});

// The mail transaction where things go wrong part-way: refusals inside a pipelined group, replies
// that come when none may, a QUIT already pipelined with the dot. A scripted server for faults,
// the real smtp-server otherwise. Who was delivered or refused when a transaction fails:
// transaction-refusals.test.ts.
import { describe, expect, it } from 'vitest';
import { SmtpProtocolError, SmtpReplyError } from '../../src/smtp/index.js';
import {
  contentAndDot,
  pipelinedEnvelope,
  scripted,
  sendFailure,
  useCleanups,
} from '../helpers/send-fixtures.js';
import { startSmtpServer } from '../helpers/smtp-server.js';

const defer = useCleanups();

describe('QUIT pipelined with the final dot', () => {
  it('is not sent a second time when the dot is refused', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n250 ok\r\n354 go\r\n' },
      ...contentAndDot,
      { expect: 'QUIT' },
      { send: '554 5.7.1 rejected as spam\r\n221 bye\r\n' },
    ]);
    const error = await sendFailure(server.port);
    expect(error.phase).toBe('message');
    expect(error.code).toBe(554);
    const connection = server.connections[0];
    await connection?.closed;
    expect(connection?.failures).toEqual([]);
    expect(connection?.lines.filter((line) => line === 'QUIT')).toEqual(['QUIT']);
  });
});

describe('a reply before the final dot', () => {
  it('is never taken as the answer to the dot, and the message is not sent', async () => {
    // RFC 5321 4.1.1.4: after 354 the server answers only the final dot.
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n250 ok\r\n354 go\r\n250 2.0.0 queued before any data\r\n' },
      { delay: 300 },
    ]);
    const error = await sendFailure(server.port);
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error.phase).toBe('message');
    expect(error.outcome).toBe('not-delivered');
    expect(server.connections[0]?.text()).not.toContain('body line');
  });

  it('that refuses the message is reported as the refusal, without sending the dot', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n250 ok\r\n354 go\r\n552 5.3.4 message too big\r\n' },
      { delay: 300 },
    ]);
    const error = await sendFailure(server.port);
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.code).toBe(552);
    expect(error.outcome).toBe('not-delivered');
    expect(server.connections[0]?.lines).not.toContain('.');
    // The connection was dropped, so no QUIT went out, and the transcript must not claim one.
    const sent = error.transcript.filter((entry) => entry.direction === 'client');
    expect(sent.map((entry) => entry.text)).not.toContain('QUIT');
  });
});

describe('MAIL refused inside a pipelined group', () => {
  it('reads the RCPT and DATA replies, ends a 354 with a lone dot and reports MAIL', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '550 5.7.1 sender refused\r\n503 5.5.1 need MAIL\r\n354 go\r\n' },
      { expect: '.' },
      { send: '554 5.5.1 no valid recipients\r\n' },
      { expect: 'QUIT' },
      { send: '221 bye\r\n' },
    ]);
    const error = await sendFailure(server.port);
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.phase).toBe('mail');
    expect(error.code).toBe(550);
    expect(error.enhancedCode).toBe('5.7.1');
    expect(error.transient).toBe(false);
    // The 503 to RCPT says there is no transaction, not that the recipient is refused.
    expect(error.rejected).toEqual([]);
    await server.connections[0]?.closed;
    expect(server.connections[0]?.failures).toEqual([]);
    expect(server.connections[0]?.text()).not.toContain('body line');
  });

  it('against smtp-server: every reply read, the session still in step for QUIT', async () => {
    const running = await startSmtpServer({
      onMailFrom: (_address, _session, callback) =>
        callback(Object.assign(new Error('5.7.1 Sender not allowed'), { responseCode: 550 })),
    });
    defer(running);
    const error = await sendFailure(running.port);
    expect(error.phase).toBe('mail');
    expect(error.code).toBe(550);
    const server = error.transcript.filter((entry) => entry.direction === 'server');
    expect(server.map((entry) => entry.text.slice(0, 3)).slice(-4)).toEqual([
      '550',
      '503',
      '503',
      '221',
    ]);
    expect(running.received).toHaveLength(0);
  });
});

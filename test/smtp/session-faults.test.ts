// Faults a real server will not produce, played by a scripted server: each test states what the
// client must do and what the server must (not) have received.
import { describe, expect, it } from 'vitest';
import {
  SmtpConnectionError,
  SmtpProtocolError,
  SmtpReplyError,
  SmtpTimeoutError,
  SmtpTlsError,
  sendMail,
} from '../../src/smtp/index.js';
import {
  contentAndDot,
  greetedWith,
  pipelinedEnvelope,
  scripted,
  sendFailure,
  sendOptions,
} from '../helpers/send-fixtures.js';
import type { Script } from '../helpers/scripted-server.js';
import { serverTlsOptions, testCa } from '../helpers/tls-fixtures.js';

/** Greeting and EHLO offering STARTTLS, and the client's STARTTLS read. */
const starttlsAsked: Script = [
  ...greetedWith('250-mx.test\r\n250 STARTTLS\r\n'),
  { expect: 'STARTTLS' },
];

describe('greeting and EHLO', () => {
  it('times out on a server that never greets, having sent nothing', async () => {
    const server = await scripted([{ delay: 2000 }]);
    const error = await sendFailure(server.port);
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.phase).toBe('greeting');
    expect(error.transient).toBe(true);
    expect(server.connections[0]?.received).toEqual([]);
  });

  it('stops at a 554 greeting, quoting the server', async () => {
    const server = await scripted([{ send: '554 5.7.1 No service for you\r\n' }]);
    const error = await sendFailure(server.port);
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.code).toBe(554);
    expect(error.message).toContain('No service for you');
  });

  it('falls back to HELO on 502 when nothing needs an extension', async () => {
    const server = await scripted([
      { send: '220 old.test\r\n' },
      { expect: 'EHLO runner.example.com' },
      { send: '502 5.5.1 EHLO not implemented\r\n' },
      { expect: 'HELO runner.example.com' },
      { send: '250 old.test\r\n' },
      { expect: 'MAIL FROM:<ci@example.com>' },
      { send: '250 ok\r\n' },
      { expect: 'RCPT TO:<dev@example.com>' },
      { send: '250 ok\r\n' },
      { expect: 'DATA' },
      { send: '354 go\r\n' },
      { expect: 'Subject: t' },
      { expect: '' },
      { expect: 'body line' },
      { expect: '.' },
      { send: '250 queued as X1\r\n' },
      { expect: 'QUIT' },
      { send: '221 bye\r\n' },
    ]);
    const result = await sendMail(sendOptions(server.port));
    expect(result.reply.lines[0]).toBe('queued as X1');
    expect(server.connections[0]?.failures).toEqual([]);
  });

  it('never falls back to HELO when STARTTLS is required', async () => {
    const server = await scripted([
      { send: '220 old.test\r\n' },
      { expect: /^EHLO / },
      { send: '502 5.5.1 EHLO not implemented\r\n' },
    ]);
    const error = await sendFailure(server.port, { tls: 'starttls', tlsOptions: { ca: testCa } });
    expect(error.phase).toBe('ehlo');
    expect(server.connections[0]?.lines.some((line) => line.startsWith('HELO'))).toBe(false);
  });

  it('fails a mismatched multi-line reply as a protocol error', async () => {
    const server = await scripted([
      { send: '220 mx.test\r\n' },
      { expect: /^EHLO / },
      { send: '250-mx.test\r\n251 PIPELINING\r\n' },
    ]);
    const error = await sendFailure(server.port);
    expect(error).toBeInstanceOf(SmtpProtocolError);
  });
});

describe('STARTTLS', () => {
  it('refuses bytes injected after the 220 to STARTTLS (CVE-2011-0411), before any handshake', async () => {
    const server = await scripted([
      ...starttlsAsked,
      { send: '220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n' },
      { delay: 200 },
    ]);
    const error = await sendFailure(server.port, { tls: 'starttls', tlsOptions: { ca: testCa } });
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error.phase).toBe('starttls');
  });

  it('fails closed when STARTTLS is refused', async () => {
    const server = await scripted([...starttlsAsked, { send: '454 4.7.0 TLS not available\r\n' }]);
    const error = await sendFailure(server.port, { tls: 'starttls', tlsOptions: { ca: testCa } });
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.code).toBe(454);
  });

  it('discards plaintext capabilities and says EHLO again over TLS (RFC 3207 4.2)', async () => {
    const server = await scripted([
      ...greetedWith('250-mx.test\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n'),
      { expect: 'STARTTLS' },
      { send: '220 go ahead\r\n' },
      { startTls: serverTlsOptions },
      { expect: /^EHLO / },
      { send: '250 mx.test\r\n' },
    ]);
    const error = await sendFailure(server.port, {
      tls: 'starttls',
      tlsOptions: { ca: testCa, servername: 'localhost' },
      auth: { username: 'ci', password: 'a-long-password' },
    });
    // AUTH was offered only in plaintext: after TLS the server offers none, so nothing is sent.
    expect(error.message).toMatch(/offers no AUTH/);
    expect(server.connections[0]?.lines.filter((line) => line.startsWith('EHLO'))).toHaveLength(2);
  });
});

describe('transaction faults', () => {
  it('treats a 421 in a pipelined group as transient and sends nothing more', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '421 4.3.2 Shutting down\r\n' },
      { end: true },
    ]);
    const error = await sendFailure(server.port);
    expect(error.code).toBe(421);
    expect(error.transient).toBe(true);
    await server.connections[0]?.closed;
    expect(server.connections[0]?.lines).not.toContain('QUIT');
    expect(server.connections[0]?.text()).not.toContain('body line');
  });

  // The lone dot after a 354 with no recipient accepted: test/smtp/polite-endings.test.ts.
  it('marks the outcome unknown when the connection drops after the final dot', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n250 ok\r\n354 go\r\n' },
      ...contentAndDot,
      { drop: true },
    ]);
    const error = await sendFailure(server.port);
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.outcome).toBe('unknown');
  });

  it('knows nothing was delivered when the connection drops before the content', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n250 ok\r\n' },
      { drop: true },
    ]);
    const error = await sendFailure(server.port);
    expect(error.outcome).toBe('not-delivered');
    expect(error.phase).toBe('data');
  });

  it('reports a 4xx after the final dot as transient', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n250 ok\r\n354 go\r\n' },
      ...contentAndDot,
      { send: '451 4.3.0 try later\r\n' },
      { expect: 'QUIT' },
      { send: '221 bye\r\n' },
    ]);
    const error = await sendFailure(server.port);
    expect(error.phase).toBe('message');
    expect(error.code).toBe(451);
    expect(error.transient).toBe(true);
  });

  it('counts a 250 to the dot followed by a broken QUIT as sent, with a warning', async () => {
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n250 ok\r\n354 go\r\n' },
      ...contentAndDot,
      { send: '250 2.0.0 queued as Q7\r\n' },
      { drop: true },
    ]);
    const result = await sendMail(sendOptions(server.port));
    expect(result.reply.lines[0]).toBe('2.0.0 queued as Q7');
    expect(result.warnings.join(' ')).toMatch(/QUIT/);
  });

  it.each([
    ['before the greeting', [{ drop: true }], 'greeting', 'not-delivered'],
    [
      'after EHLO',
      [{ send: '220 mx.test\r\n' }, { expect: /^EHLO / }, { drop: true }],
      'ehlo',
      'not-delivered',
    ],
    ['after the envelope', [...pipelinedEnvelope, { drop: true }], 'mail', 'not-delivered'],
  ] as [string, Script, string, string][])(
    'reports a drop %s with its phase and outcome',
    async (_name, script, phase, outcome) => {
      const server = await scripted(script);
      const error = await sendFailure(server.port);
      expect(error).toBeInstanceOf(SmtpConnectionError);
      expect(error.transient).toBe(true);
      expect(error.phase).toBe(phase);
      expect(error.outcome).toBe(outcome);
      expect(error.transcript.length > 0).toBe(phase !== 'greeting');
    },
  );

  it('knows nothing was delivered when the connection drops during the content', async () => {
    const line = `${'x'.repeat(76)}\r\n`;
    const big = Buffer.from(`Subject: t\r\n\r\n${line.repeat(200_000)}`);
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n250 ok\r\n354 go\r\n' },
      { expect: 'Subject: t' },
      { drop: true },
    ]);
    const error = await sendFailure(server.port, { message: big, timeouts: { dataBlock: 2000 } });
    expect(error.phase).toBe('message');
    expect(error.transient).toBe(true);
    expect(error.outcome).toBe('not-delivered');
  });
});

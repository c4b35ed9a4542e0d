// Rules of the session before the transaction: when HELO may replace EHLO, and when AUTH may run
// without TLS. Scripted servers for refusals, the real smtp-server for what it can show.
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpError, sendMail, type SendMailOptions } from '../../src/smtp/index.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { startScriptedServer, type Script } from '../helpers/scripted-server.js';
import { startSmtpServer } from '../helpers/smtp-server.js';

const password = 'correct horse battery';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});

function options(port: number, extra: Partial<SendMailOptions> = {}): SendMailOptions {
  return {
    host: '127.0.0.1',
    port,
    tls: 'none',
    ehloName: 'runner.example.com',
    envelope: { from: 'ci@example.com', to: ['dev@example.com'] },
    message: Buffer.from('Subject: t\r\n\r\nbody\r\n'),
    timeouts: { greeting: 300, command: 300, finalReply: 300, dataBlock: 300 },
    ...extra,
  };
}

function ehloRefused(code: string): Script {
  return [
    { send: '220 old.test\r\n' },
    { expect: 'EHLO runner.example.com' },
    { send: `${code} no EHLO here\r\n` },
    { delay: 300 },
  ];
}

describe('HELO fallback (RFC 5321 4.1.4)', () => {
  it('is never taken when AUTH is required: a HELO session cannot authenticate', async () => {
    const server = await startScriptedServer(ehloRefused('502 5.5.1'));
    cleanups.push(() => server.close());
    const error = await sendMail(
      options(server.port, { auth: { username: 'ci', password } }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpError);
    expect((error as SmtpError).phase).toBe('ehlo');
    expect((error as SmtpError).code).toBe(502);
    const lines = server.connections[0]?.lines ?? [];
    expect(lines.filter((line) => /^(HELO|AUTH|MAIL)/.test(line))).toEqual([]);
  });

  it.each(['501 5.5.4', '421 4.3.2', '554 5.7.1'])(
    'is not taken on %s, only on 500 and 502',
    async (code) => {
      const server = await startScriptedServer(ehloRefused(code));
      cleanups.push(() => server.close());
      const error = await sendMail(options(server.port)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SmtpError);
      expect((error as SmtpError).code).toBe(Number(code.slice(0, 3)));
      expect(server.connections[0]?.lines.some((line) => line.startsWith('HELO'))).toBe(false);
    },
  );
});

describe('AUTH without TLS', () => {
  it('runs over a plaintext tunnel only with dangerouslyAllowAuthWithoutTls', async () => {
    const running = await startSmtpServer({
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) =>
        auth.password === password ? callback(null, { user: 'ci' }) : callback(new Error('no')),
    });
    const proxy = await startConnectProxy();
    cleanups.push(
      () => running.close(),
      () => proxy.close(),
    );
    const result = await sendMail(
      options(running.port, {
        proxy: proxy.url,
        auth: { username: 'ci', password },
        dangerouslyAllowAuthWithoutTls: true,
      }),
    );
    expect(result.authMechanism).toBe('PLAIN');
    expect(running.received).toHaveLength(1);
  });
});

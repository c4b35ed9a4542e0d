// Rules of the session before the transaction: when HELO may replace EHLO, and when AUTH may run
// without TLS. Scripted servers for refusals, the real smtp-server for what it can show.
import { describe, expect, it } from 'vitest';
import { sendMail } from '../../src/smtp/index.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import type { Script } from '../helpers/scripted-server.js';
import { scripted, sendFailure, sendOptions, useCleanups } from '../helpers/send-fixtures.js';
import { startSmtpServer } from '../helpers/smtp-server.js';

const password = 'correct horse battery';
const defer = useCleanups();

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
    const server = await scripted(ehloRefused('502 5.5.1'));
    const error = await sendFailure(server.port, { auth: { username: 'ci', password } });
    expect(error.phase).toBe('ehlo');
    expect(error.code).toBe(502);
    const lines = server.connections[0]?.lines ?? [];
    expect(lines.filter((line) => /^(HELO|AUTH|MAIL)/.test(line))).toEqual([]);
  });

  it.each(['501 5.5.4', '421 4.3.2', '554 5.7.1'])(
    'is not taken on %s, only on 500 and 502',
    async (code) => {
      const server = await scripted(ehloRefused(code));
      const error = await sendFailure(server.port);
      expect(error.code).toBe(Number(code.slice(0, 3)));
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
    defer(running);
    const proxy = defer(await startConnectProxy());
    const result = await sendMail(
      sendOptions(running.port, {
        proxy: proxy.url,
        auth: { username: 'ci', password },
        dangerouslyAllowAuthWithoutTls: true,
      }),
    );
    expect(result.authMechanism).toBe('PLAIN');
    expect(running.received).toHaveLength(1);
  });
});

import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpConnection } from '../../src/smtp/connection.js';
import {
  SmtpConnectionError,
  SmtpInputError,
  SmtpTimeoutError,
  type SmtpError,
} from '../../src/smtp/errors.js';
import { openProxyTunnel } from '../../src/smtp/proxy.js';
import { resolveTimeouts } from '../../src/smtp/timeouts.js';
import type { TlsMode } from '../../src/smtp/tls.js';
import { Transcript } from '../../src/smtp/transcript.js';
import { startConnectProxy, type ConnectProxyOptions } from '../helpers/connect-proxy.js';
import { startScriptedServer } from '../helpers/scripted-server.js';
import { testCa } from '../helpers/tls-fixtures.js';
import { listenOnLoopback } from '../helpers/loopback.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function smtpServer(implicitTls = false): Promise<number> {
  const script = [{ send: '220 behind.proxy ESMTP\r\n' }];
  const server = await startScriptedServer(script, implicitTls ? { implicitTls: {} } : {});
  cleanups.push(() => server.close());
  return server.port;
}

async function proxy(options: ConnectProxyOptions = {}) {
  const started = await startConnectProxy(options);
  cleanups.push(() => started.close());
  return started;
}

async function openThrough(proxyUrl: string, port: number, tls: TlsMode = 'none') {
  const connection = await SmtpConnection.open({
    host: '127.0.0.1',
    port,
    tls,
    tlsSettings: { ca: testCa },
    proxy: proxyUrl,
    transcript: new Transcript(),
    timeouts: resolveTimeouts({ connect: 2_000 }),
  });
  cleanups.push(() => connection.destroy());
  return connection;
}

async function failure(body: () => Promise<unknown>): Promise<SmtpError> {
  try {
    await body();
  } catch (error) {
    return error as SmtpError;
  }
  throw new Error('expected a rejection');
}

const greeting = { phase: 'greeting', command: '', timeoutMs: 2_000 } as const;
const withCredentials = (url: string, user: string, password: string): string =>
  url.replace('http://', `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);

describe('HTTP CONNECT proxy tunnel', () => {
  it('tunnels to the SMTP server without credentials', async () => {
    const port = await smtpServer();
    const tunnel = await proxy();
    const connection = await openThrough(tunnel.url, port);
    expect((await connection.readReply(greeting)).lines).toEqual(['behind.proxy ESMTP']);
    expect(tunnel.requests).toEqual([
      { line: `CONNECT 127.0.0.1:${port} HTTP/1.1`, headers: { host: `127.0.0.1:${port}` } },
    ]);
    expect(tunnel.requests[0]?.headers['proxy-authorization']).toBeUndefined();
    // Through a proxy the real peer is unknown: never loopback.
    expect(connection.isLoopback).toBe(false);
  });

  it('sends Basic credentials from the URL, percent-decoded', async () => {
    const port = await smtpServer();
    const tunnel = await proxy({ auth: { user: 'ci bot', password: 'p@ss:wörd' } });
    const url = withCredentials(tunnel.url, 'ci bot', 'p@ss:wörd');
    const connection = await openThrough(url, port);
    expect((await connection.readReply(greeting)).code).toBe(220);
    const expected = `Basic ${Buffer.from('ci bot:p@ss:wörd').toString('base64')}`;
    expect(tunnel.requests[0]?.headers['proxy-authorization']).toBe(expected);
  });

  it('reports a 407 when credentials are missing, saying to give them', async () => {
    const port = await smtpServer();
    const tunnel = await proxy({ auth: { user: 'u', password: 'secret-pw' } });
    const error = await failure(() => openThrough(tunnel.url, port));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error).toMatchObject({ phase: 'connect' });
    expect(error.message).toContain('407 Proxy Authentication Required');
    expect(error.message).toContain('give user:password in the proxy URL');
  });

  it('reports rejected credentials without ever showing them', async () => {
    const port = await smtpServer();
    const tunnel = await proxy({ auth: { user: 'u', password: 'right' } });
    const url = withCredentials(tunnel.url, 'someone', 'wrong-secret');
    const error = await failure(() => openThrough(url, port));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.message).toContain('rejected the credentials');
    expect(error.message).not.toMatch(/someone|wrong-secret/);
    expect(error.message).toContain(tunnel.url);
  });

  it('reports any other refusal with the status line', async () => {
    const port = await smtpServer();
    const tunnel = await proxy({ respondWith: 'HTTP/1.1 403 Forbidden\r\n\r\n' });
    const error = await failure(() => openThrough(tunnel.url, port));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.message).toContain(`refused the tunnel to 127.0.0.1:${port} (403 Forbidden)`);
  });

  it('keeps greeting bytes that arrive in the same packet as the 200', async () => {
    const port = await smtpServer();
    const tunnel = await proxy({ coalesceGreeting: true });
    const socket = await openProxyTunnel(tunnel.url, '127.0.0.1', port, 2_000);
    cleanups.push(() => void socket.destroy());
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.resume();
    await expect.poll(() => Buffer.concat(chunks).toString()).toBe('220 behind.proxy ESMTP\r\n');
  });

  it('delivers that coalesced greeting through SmtpConnection too', async () => {
    const port = await smtpServer();
    const tunnel = await proxy({ coalesceGreeting: true });
    const connection = await openThrough(tunnel.url, port);
    expect((await connection.readReply(greeting)).lines).toEqual(['behind.proxy ESMTP']);
  });

  it('runs implicit TLS inside the tunnel', async () => {
    const port = await smtpServer(true);
    const tunnel = await proxy();
    const connection = await openThrough(tunnel.url, port, 'implicit');
    expect(connection.secure).toBe(true);
    expect((await connection.readReply(greeting)).code).toBe(220);
  });
});

describe('proxy failures', () => {
  /** A "proxy" that accepts and then sends `reply` (or nothing) and never finishes. */
  async function fakeProxy(reply?: string): Promise<string> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      if (reply !== undefined) socket.write(reply);
    });
    const port = await listenOnLoopback(server);
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return `http://127.0.0.1:${port}`;
  }

  it('times out a proxy that never answers CONNECT', async () => {
    const url = await fakeProxy();
    const error = await failure(() => openProxyTunnel(url, '127.0.0.1', 25, 150));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.message).toContain('did not open a tunnel to 127.0.0.1:25 within 0.15 s');
  });

  it('refuses a response header larger than 16 KiB', async () => {
    const url = await fakeProxy(`HTTP/1.1 200 OK\r\nX-Junk: ${'a'.repeat(20_000)}`);
    const error = await failure(() => openProxyTunnel(url, '127.0.0.1', 25, 2_000));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.message).toContain('over 16384 octets');
  });

  it('refuses an answer that is not HTTP', async () => {
    const url = await fakeProxy('220 i am an smtp server\r\n\r\n');
    const error = await failure(() => openProxyTunnel(url, '127.0.0.1', 25, 2_000));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.message).toContain('did not answer CONNECT with an HTTP status');
  });

  it('refuses proxy URLs it cannot use, without echoing them', async () => {
    await expect(openProxyTunnel('socks5://h:1080', 'mail.test', 25, 100)).rejects.toThrow(
      /only http:\/\//,
    );
    const error = await failure(() => openProxyTunnel('not a url s3cret', 'mail.test', 25, 100));
    expect(error).toBeInstanceOf(SmtpInputError);
    expect(error.message).not.toContain('s3cret');
  });

  it('refuses a target host that could break the CONNECT line', async () => {
    const attempt = openProxyTunnel('http://127.0.0.1:9', 'mail.test\r\nX: y', 25, 100);
    await expect(attempt).rejects.toBeInstanceOf(SmtpInputError);
  });

  it('names the proxy when nothing listens there', async () => {
    const url = await fakeProxy();
    const port = Number(new URL(url).port);
    await cleanups.pop()?.();
    const error = await failure(() =>
      openProxyTunnel(`http://u:pw@127.0.0.1:${port}`, 'h', 25, 500),
    );
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.message).toContain(`the proxy http://127.0.0.1:${port}`);
    expect(error.message).not.toContain('pw');
  });
});

import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpConnection, type ConnectionOptions } from '../../src/smtp/connection.js';
import {
  SmtpConnectionError,
  SmtpProtocolError,
  SmtpTimeoutError,
  SmtpTlsError,
} from '../../src/smtp/errors.js';
import { resolveTimeouts, type Timeouts } from '../../src/smtp/timeouts.js';
import { Transcript } from '../../src/smtp/transcript.js';
import {
  startScriptedServer,
  type Script,
  type ScriptedServer,
} from '../helpers/scripted-server.js';
import { testCa } from '../helpers/tls-fixtures.js';
import { listenOnLoopback } from '../helpers/loopback.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(script: Script, implicitTls?: object): Promise<ScriptedServer> {
  const server = await startScriptedServer(script, implicitTls ? { implicitTls } : {});
  cleanups.push(() => server.close());
  return server;
}

async function open(
  port: number,
  overrides: Partial<Omit<ConnectionOptions, 'timeouts'>> & { timeouts?: Partial<Timeouts> } = {},
): Promise<SmtpConnection> {
  const connection = await SmtpConnection.open({
    host: '127.0.0.1',
    port,
    tls: 'starttls',
    tlsSettings: { ca: testCa },
    transcript: new Transcript(),
    ...overrides,
    timeouts: resolveTimeouts({ greeting: 2_000, command: 2_000, ...overrides.timeouts }),
  });
  cleanups.push(() => connection.destroy());
  return connection;
}

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const greeting = { phase: 'greeting', command: '', timeoutMs: 2_000 } as const;
const ehlo = { phase: 'ehlo', command: 'EHLO client.test', timeoutMs: 2_000 } as const;

/** Runs `body` and returns what it threw; fails the test when it does not throw. */
async function caught(body: () => Promise<unknown>): Promise<Error> {
  try {
    await body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('SmtpConnection reading replies', () => {
  it('assembles a greeting split over many packets', async () => {
    const pieces = ['2', '20', ' mail.', 'test ESM', 'TP\r', '\n'];
    const server = await serve([{ sendPieces: pieces, gapMs: 15 }]);
    const transcript = new Transcript();
    const connection = await open(server.port, { transcript });
    const reply = await connection.readReply(greeting);
    expect(reply).toEqual({ code: 220, lines: ['mail.test ESMTP'] });
    expect(transcript.entries).toEqual([{ direction: 'server', text: '220 mail.test ESMTP' }]);
  });

  it('queues several replies that arrive in one packet and hands them out in order', async () => {
    const server = await serve([
      { send: '220 hi\r\n' },
      { capture: true },
      { send: '250 2.1.0 sender ok\r\n250 2.1.5 rcpt ok\r\n354 go on\r\n' },
    ]);
    const connection = await open(server.port);
    await connection.readReply(greeting);
    const group = 'MAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n';
    await connection.write(ascii(group), [
      { text: 'MAIL FROM:<a@x.test>' },
      { text: 'RCPT TO:<b@x.test>' },
      { text: 'DATA' },
    ]);
    const mail = { phase: 'mail', command: 'MAIL', timeoutMs: 2_000 } as const;
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await connection.readReply(mail)).code);
    expect(codes).toEqual([250, 250, 354]);
    // The pipelined group left in one write, so the server got it in one read (RFC 2920).
    const conn = await server.nextConnection();
    expect(conn.captures).toEqual([group]);
  });

  it('keeps every line of a multi-line reply and its enhanced code', async () => {
    const server = await serve([
      { send: '220 hi\r\n' },
      { expect: 'EHLO client.test' },
      { sendPieces: ['250-mail.test\r\n250-PIPE', 'LINING\r\n', '250 SIZE 1000\r\n'] },
    ]);
    const transcript = new Transcript();
    const connection = await open(server.port, { transcript });
    await connection.readReply(greeting);
    await connection.write(ascii('EHLO client.test\r\n'), [{ text: 'EHLO client.test' }]);
    const reply = await connection.readReply(ehlo);
    expect(reply.lines).toEqual(['mail.test', 'PIPELINING', 'SIZE 1000']);
    expect(transcript.format()).toBe(
      'S: 220 hi\nC: EHLO client.test\nS: 250-mail.test\nS: 250-PIPELINING\nS: 250 SIZE 1000',
    );
  });

  it('reports a malformed reply as a protocol error of the step that read it', async () => {
    const server = await serve([
      { send: '220 hi\r\n' },
      { expect: 'EHLO client.test' },
      { send: 'hello there\r\n' },
    ]);
    const connection = await open(server.port);
    await connection.readReply(greeting);
    await connection.write(ascii('EHLO client.test\r\n'), [{ text: 'EHLO client.test' }]);
    const error = await caught(() => connection.readReply(ehlo));
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error).toMatchObject({ phase: 'ehlo', command: 'EHLO client.test' });
    // The stream cannot be resynchronised: the connection is gone.
    await (
      await server.nextConnection()
    ).closed;
  });
});

describe('SmtpConnection timeouts and closed connections', () => {
  it('times out a command the server never answers, naming it and the wait', async () => {
    const server = await serve([{ send: '220 hi\r\n' }]);
    const connection = await open(server.port);
    await connection.readReply(greeting);
    const started = Date.now();
    const error = await caught(() => connection.readReply({ ...ehlo, timeoutMs: 150 }));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error).toMatchObject({ phase: 'ehlo', transient: true });
    expect(error.message).toContain('did not answer EHLO client.test within 150 ms');
    await (
      await server.nextConnection()
    ).closed; // the socket was destroyed
  });

  it('times out a server that never greets, hinting at implicit TLS', async () => {
    const server = await serve([]);
    const connection = await open(server.port);
    const error = await caught(() => connection.readReply({ ...greeting, timeoutMs: 150 }));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error).toMatchObject({ phase: 'greeting', transient: true });
    expect(error.message).toMatch(/sent no greeting within 150 ms/);
    expect(error.message).toMatch(/'implicit'/);
  });

  it('reports a dropped connection with the phase and command', async () => {
    const server = await serve([{ send: '220 hi\r\n' }, { expect: /^EHLO/ }, { drop: true }]);
    const connection = await open(server.port);
    await connection.readReply(greeting);
    await connection.write(ascii('EHLO client.test\r\n'), [{ text: 'EHLO client.test' }]);
    const error = await caught(() => connection.readReply(ehlo));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error).toMatchObject({ phase: 'ehlo', command: 'EHLO client.test', transient: true });
    expect(error.message).toMatch(/127\.0\.0\.1:\d+ closed the connection during ehlo/);
  });

  it('says when the server closed in the middle of a reply', async () => {
    const server = await serve([{ send: '220-hi\r\n220 the' }, { end: true }]);
    const connection = await open(server.port);
    const error = await caught(() => connection.readReply(greeting));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.message).toContain('in the middle of a reply');
  });

  it('still delivers a 421 that arrived before the server closed', async () => {
    const server = await serve([
      { send: '220 hi\r\n' },
      { expect: /^EHLO/ },
      { send: '421 4.3.2 shutting down\r\n' },
      { end: true },
    ]);
    const connection = await open(server.port);
    await connection.readReply(greeting);
    await connection.write(ascii('EHLO client.test\r\n'), [{ text: 'EHLO client.test' }]);
    await (
      await server.nextConnection()
    ).closed;
    // A write after the close is not an error while a reply waits to explain it.
    await connection.write(ascii('QUIT\r\n'), [{ text: 'QUIT' }]);
    const reply = await connection.readReply(ehlo);
    expect(reply).toMatchObject({ code: 421, enhancedCode: '4.3.2' });
    await expect(connection.readReply(ehlo)).rejects.toBeInstanceOf(SmtpConnectionError);
    await expect(connection.write(ascii('QUIT\r\n'), [])).rejects.toBeInstanceOf(
      SmtpConnectionError,
    );
  });

  it('names the host and port when nothing listens there', async () => {
    const server = await serve([]);
    const { port } = server;
    await server.close();
    const error = await caught(() => open(port));
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error).toMatchObject({ phase: 'connect' });
    expect(error.message).toContain(`nothing listens on 127.0.0.1:${port}`);
  });

  it('aborts everything when the total deadline passes', async () => {
    const server = await serve([{ send: '220 hi\r\n' }]);
    const connection = await open(server.port, { timeouts: { total: 200, command: 5_000 } });
    await connection.readReply(greeting);
    const error = await caught(() => connection.readReply({ ...ehlo, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error).toMatchObject({ phase: 'ehlo', transient: true });
    expect(error.message).toContain('did not finish within 200 ms');
  });

  it('aborts everything when the signal aborts', async () => {
    const server = await serve([{ send: '220 hi\r\n' }]);
    const controller = new AbortController();
    const connection = await open(server.port, { signal: controller.signal });
    await connection.readReply(greeting);
    const pending = caught(() => connection.readReply({ ...ehlo, timeoutMs: 5_000 }));
    controller.abort(new Error('job cancelled'));
    const error = await pending;
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.message).toContain('was aborted during ehlo');
    expect(error.cause).toEqual(new Error('job cancelled'));
  });

  it('knows a 127.0.0.1 peer is loopback', async () => {
    const server = await serve([]);
    const connection = await open(server.port);
    expect(connection.isLoopback).toBe(true);
    expect(connection.secure).toBe(false);
  });
});

describe('SmtpConnection writing', () => {
  /** A server that reads nothing (or everything) so the client's buffer fills (or drains). */
  async function sink(read: boolean): Promise<{ port: number; received: () => number }> {
    let received = 0;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.write('220 sink\r\n');
      if (read) socket.on('data', (chunk: Buffer) => (received += chunk.length));
      else socket.pause();
    });
    const port = await listenOnLoopback(server);
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { port, received: () => received };
  }

  it('waits for the socket to drain, then resolves', async () => {
    const server = await sink(true);
    const connection = await open(server.port);
    await connection.readReply(greeting);
    const chunk = new Uint8Array(8 * 1024 * 1024).fill(0x61);
    for (let i = 0; i < 4; i += 1) await connection.write(chunk, []);
    await expect.poll(server.received, { timeout: 5_000 }).toBe(4 * chunk.length);
  });

  it('times out when the server takes no data', async () => {
    const server = await sink(false);
    const connection = await open(server.port, { timeouts: { dataBlock: 200 } });
    await connection.readReply(greeting);
    const chunk = new Uint8Array(64 * 1024 * 1024);
    const write = { phase: 'message', command: 'DATA' } as const;
    const error = await caught(() => connection.write(chunk, [], write));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error).toMatchObject({ phase: 'message', transient: true });
    expect(error.message).toContain('took no data for 200 ms');
  });

  it('records client lines in the transcript, redacting sensitive ones', async () => {
    const server = await serve([{ send: '220 hi\r\n' }, { expect: /^AUTH/ }]);
    const transcript = new Transcript();
    const connection = await open(server.port, { transcript });
    await connection.readReply(greeting);
    await connection.write(ascii('AUTH PLAIN AHVzZXIAcGFzcw==\r\n'), [
      { text: 'AUTH PLAIN AHVzZXIAcGFzcw==', sensitive: true },
    ]);
    expect(transcript.entries.at(-1)).toEqual({
      direction: 'client',
      text: 'AUTH PLAIN [redacted]',
    });
    await (
      await server.nextConnection()
    ).done;
  });
});

describe('SmtpConnection STARTTLS', () => {
  const ehloThenStarttls: Script = [
    { send: '220 hi\r\n' },
    { expect: 'EHLO client.test' },
    { send: '250-mail.test\r\n250 STARTTLS\r\n' },
    { expect: 'STARTTLS' },
  ];

  async function negotiate(connection: SmtpConnection): Promise<void> {
    await connection.readReply(greeting);
    await connection.write(ascii('EHLO client.test\r\n'), [{ text: 'EHLO client.test' }]);
    await connection.readReply(ehlo);
    await connection.write(ascii('STARTTLS\r\n'), [{ text: 'STARTTLS' }]);
    const reply = await connection.readReply({ ...ehlo, phase: 'starttls', command: 'STARTTLS' });
    expect(reply.code).toBe(220);
  }

  it('upgrades, verifies the certificate and reads replies over TLS', async () => {
    const server = await serve([
      ...ehloThenStarttls,
      { send: '220 go ahead\r\n' },
      { startTls: {} },
      { expect: 'EHLO client.test' },
      { send: '250 mail.test\r\n' },
    ]);
    const transcript = new Transcript();
    const connection = await open(server.port, { transcript });
    await negotiate(connection);
    const info = await connection.upgradeToTls();
    expect(info.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(connection.secure).toBe(true);
    expect(connection.tlsInfo).toEqual(info);
    await connection.write(ascii('EHLO client.test\r\n'), [{ text: 'EHLO client.test' }]);
    expect(await connection.readReply(ehlo)).toEqual({ code: 250, lines: ['mail.test'] });
    expect(transcript.entries.map((entry) => entry.text)).toContain(
      `[TLS: ${info.protocol} ${info.cipher}]`,
    );
    expect((await server.nextConnection()).failures).toEqual([]);
  });

  it.each([
    ['a whole forged reply', '220 go ahead\r\n250 forged\r\n'],
    ['part of a forged reply', '220 go ahead\r\n250 forg'],
  ])('refuses TLS when %s follows the 220 (CVE-2011-0411)', async (_name, bytes) => {
    const server = await serve([...ehloThenStarttls, { send: bytes }]);
    // A short connect budget: were a handshake attempted, it would fail fast, not hang.
    const connection = await open(server.port, { timeouts: { connect: 1_000 } });
    await negotiate(connection);
    const error = await caught(() => connection.upgradeToTls());
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error).toMatchObject({ phase: 'starttls', command: 'STARTTLS' });
    expect(error.message).toContain('CVE-2011-0411');
    const conn = await server.nextConnection();
    await conn.closed;
    // No TLS was attempted: nothing (no ClientHello) followed the STARTTLS command.
    expect(conn.text().endsWith('STARTTLS\r\n')).toBe(true);
    expect(connection.secure).toBe(false);
  });

  it('fails the upgrade with an SmtpTlsError when the certificate is not trusted', async () => {
    const server = await serve([
      ...ehloThenStarttls,
      { send: '220 go ahead\r\n' },
      { startTls: {} },
    ]);
    const connection = await open(server.port, { tlsSettings: {} });
    await negotiate(connection);
    const error = await caught(() => connection.upgradeToTls());
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error).toMatchObject({ phase: 'starttls' });
    expect(error.message).toMatch(/not signed by a trusted authority.*ca setting/);
    await expect(connection.readReply(ehlo)).rejects.toBe(error);
  });

  it('hints that port and mode disagree when a TLS server never greets', async () => {
    const server = await serve([{ send: '220 hi\r\n' }], {});
    const connection = await open(server.port, { tls: 'starttls' });
    const error = await caught(() => connection.readReply({ ...greeting, timeoutMs: 200 }));
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(error.message).toMatch(/port and the TLS mode probably disagree/);
    expect(error.message).toContain(`port ${server.port}`);
  });
});

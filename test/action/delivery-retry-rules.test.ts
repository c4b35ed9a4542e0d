/**
 * Which failures deliverWithRetries tries again, beyond a refused greeting: 4xx replies in the
 * middle of a session, and TLS, where a handshake the network cut is retried and a certificate
 * the client cannot trust is not (the next handshake would fail the same way). Also what the
 * retry log line may carry of the server's text.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import type { SMTPServerOptions } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import {
  deliverWithRetries,
  describeRetry,
  type DeliveryRequest,
} from '../../src/action/delivery.js';
import { listenOnLoopback } from '../helpers/loopback.js';
import { useCleanups } from '../helpers/send-fixtures.js';
import { testTls } from '../helpers/tls-fixtures.js';
import {
  recordedRequest as request,
  refusal,
  startCountedServer,
  type Counted,
} from './delivery-env.js';

const defer = useCleanups();

const server = (options?: SMTPServerOptions): Promise<Counted> =>
  startCountedServer(defer, options);

/**
 * A TCP relay in front of `targetPort` that resets the first connection as soon as the client
 * speaks (its TLS ClientHello), and relays later ones: a handshake broken by the network.
 */
async function resetFirstHandshake(
  targetPort: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let seen = 0;
  const relay = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    seen += 1;
    if (seen === 1) {
      client.once('data', () => client.resetAndDestroy());
      return;
    }
    const upstream = createConnection(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('error', () => undefined);
    client.pipe(upstream).pipe(client);
  });
  const port = await listenOnLoopback(relay);
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

describe('deliverWithRetries: 4xx mid-session', () => {
  const withAuth = (port: number): Partial<DeliveryRequest> => ({
    server: {
      host: '127.0.0.1',
      port,
      tls: 'none',
      ehloName: 'runner.example.com',
      // Loopback: the client allows AUTH without TLS to a server on this machine.
      auth: { username: 'ci-bot', password: 'pw-mid-session-1' },
    },
  });

  it('retries a 421 to MAIL FROM (the server is shutting down)', async () => {
    let seen = 0;
    const { running, connections } = await server({
      onMailFrom: (_address, _session, callback) => {
        seen += 1;
        callback(seen === 1 ? refusal(421, '4.3.2 Shutting down') : undefined);
      },
    });
    const report = await deliverWithRetries(request(running.port).request);
    expect(report.result).toBe('sent');
    expect(connections()).toBe(2);
    expect(running.received).toHaveLength(1);
  });

  it('retries an AUTH 454 (temporary authentication failure), not a 535', async () => {
    let seen = 0;
    const { running, connections } = await server({
      authMethods: ['PLAIN'],
      allowInsecureAuth: true,
      onAuth: (_auth, _session, callback) => {
        seen += 1;
        if (seen === 1) callback(refusal(454, '4.7.0 Temporary authentication failure'));
        else callback(null, { user: 'ci-bot' });
      },
    });
    const report = await deliverWithRetries(request(running.port, withAuth(running.port)).request);
    expect(report.result).toBe('sent');
    expect(connections()).toBe(2);

    const refused = await server({
      authMethods: ['PLAIN'],
      allowInsecureAuth: true,
      onAuth: (_auth, _session, callback) => callback(refusal(535, '5.7.8 Bad credentials')),
    });
    const again = await deliverWithRetries(
      request(refused.running.port, withAuth(refused.running.port)).request,
    );
    expect(again.result).toBe('failed');
    expect(refused.connections()).toBe(1);
  });
});

describe('deliverWithRetries: TLS', () => {
  it('retries a TLS handshake the network broke (connection reset), then delivers', async () => {
    const { running } = await server({ secure: true });
    const relay = defer(await resetFirstHandshake(running.port));
    const { request: req, retries } = request(relay.port, {
      server: {
        host: '127.0.0.1',
        port: relay.port,
        tls: 'implicit',
        ehloName: 'runner.example.com',
        tlsOptions: { ca: testTls.ca, servername: 'localhost' },
      },
    });
    const report = await deliverWithRetries(req);
    expect(retries.map((r) => r.error.name)).toEqual(['SmtpTlsError']);
    expect(report.result).toBe('sent');
    expect(report.attempts).toBe(2);
    expect(running.received).toHaveLength(1);
  });

  it('does not retry a certificate the client cannot trust: the next try would fail the same', async () => {
    const { running } = await server({ secure: true });
    running.server.on('error', () => undefined);
    // smtp-server's onConnect runs after the handshake: count TCP connections instead.
    let connections = 0;
    running.server.server.on('connection', () => (connections += 1));
    const { request: req, sleeps } = request(running.port, {
      server: {
        host: '127.0.0.1',
        port: running.port,
        tls: 'implicit',
        ehloName: 'runner.example.com',
        tlsOptions: { servername: 'localhost' },
      },
    });
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('failed');
    expect(report.attempts).toBe(1);
    expect(connections).toBe(1);
    expect(sleeps).toEqual([]);
    expect(report.error?.name).toBe('SmtpTlsError');
  });
});

describe('describeRetry', () => {
  it('disarms a legacy ##[ workflow command in the server text of the log line', async () => {
    const { running } = await server({
      onConnect: (_session, callback) =>
        callback(refusal(421, '4.7.0 busy ##[set-output name=result;]sent')),
    });
    const { request: req, retries } = request(running.port, { retries: 1 });
    await deliverWithRetries(req);
    const line = describeRetry(retries[0]!.error, 1, 1000);
    expect(line).toMatch(/^Attempt 1 failed \(421 4\.7\.0 busy /);
    expect(line).not.toContain('##[');
  });
});

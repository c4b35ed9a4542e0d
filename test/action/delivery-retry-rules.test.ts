/**
 * Which failures deliverWithRetries tries again, beyond a refused greeting: 4xx replies in the
 * middle of a session, and TLS, where a handshake the network cut is retried and a certificate
 * the client cannot trust is not (the next handshake would fail the same way). Also what the
 * retry log line may carry of the server's text.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  deliverWithRetries,
  describeRetry,
  type DeliveryRequest,
} from '../../src/action/delivery.js';
import { listenOnLoopback } from '../helpers/loopback.js';
import { localServer } from '../helpers/send-fixtures.js';
import { refusal } from '../helpers/smtp-server.js';
import { testTls } from '../helpers/tls-fixtures.js';
import {
  expectSentOnSecondTry,
  recordedRequest as request,
  refuseFirst,
  useCountedServers,
} from './delivery-env.js';

const { server, defer } = useCountedServers();

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
    // Loopback: the client allows AUTH without TLS to a server on this machine.
    server: localServer(port, { auth: { username: 'ci-bot', password: 'pw-mid-session-1' } }),
  });

  it('retries a 421 to MAIL FROM (the server is shutting down)', async () => {
    await expectSentOnSecondTry(
      await server({ onMailFrom: refuseFirst(1, 421, '4.3.2 Shutting down') }),
    );
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
      server: localServer(relay.port, {
        tls: 'implicit',
        tlsOptions: { ca: testTls.ca, servername: 'localhost' },
      }),
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
      server: localServer(running.port, {
        tls: 'implicit',
        tlsOptions: { servername: 'localhost' },
      }),
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

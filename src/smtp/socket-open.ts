import type { Socket } from 'node:net';
import { formatDuration } from './connection-errors.js';
import { startDeadline } from './deadline.js';
import { SmtpTimeoutError } from './errors.js';
import { connectTcp, formatEndpoint } from './net-connect.js';
import { openProxyTunnel } from './proxy.js';
import { handshakeTls } from './tls-handshake.js';
import type { TlsMode, TlsSettings } from './tls.js';

export interface SocketTarget {
  host: string;
  port: number;
  tls: TlsMode;
  tlsSettings: TlsSettings;
  proxy?: string | undefined;
  /** One budget for TCP connect, the proxy tunnel and the implicit TLS handshake together. */
  connectTimeoutMs: number;
}

/**
 * Opens the byte stream to the SMTP server: TCP directly or through the proxy tunnel, then, for
 * implicit TLS (RFC 8314 3.3), the handshake before any SMTP byte. Rejects with the step's own
 * error (connection, proxy, TLS), an SmtpTimeoutError when the connect budget runs out, or the
 * reason of `signal` when it aborts first.
 */
export async function openSocket(target: SocketTarget, signal: AbortSignal): Promise<Socket> {
  const { host, port, connectTimeoutMs } = target;
  const deadline = startDeadline(
    connectTimeoutMs,
    () =>
      new SmtpTimeoutError(
        `Could not connect to ${formatEndpoint(host, port)} within ${formatDuration(connectTimeoutMs)}.`,
        { phase: 'connect', transient: true },
      ),
    signal,
  );
  try {
    const socket =
      target.proxy === undefined
        ? await connectTcp(host, port, 'the SMTP server', deadline.signal)
        : await openProxyTunnel(target.proxy, host, port, connectTimeoutMs, deadline.signal);
    if (target.tls !== 'implicit') return socket;
    const context = { host, port, mode: target.tls, phase: 'connect' } as const;
    return await handshakeTls(socket, target.tlsSettings, context, deadline.signal);
  } finally {
    deadline.dispose();
  }
}

/**
 * STARTTLS's handshake over the plaintext socket, within the connect budget. Rejects like
 * `openSocket`; both sockets are destroyed on failure.
 */
export async function upgradeSocket(
  plain: Socket,
  target: SocketTarget,
  signal: AbortSignal,
): Promise<Socket> {
  const { host, port, connectTimeoutMs } = target;
  const deadline = startDeadline(
    connectTimeoutMs,
    () =>
      new SmtpTimeoutError(
        `The TLS handshake with ${formatEndpoint(host, port)} did not finish within ${formatDuration(connectTimeoutMs)}.`,
        { phase: 'starttls', command: 'STARTTLS', transient: true },
      ),
    signal,
  );
  try {
    const context = { host, port, mode: target.tls, phase: 'starttls' } as const;
    return await handshakeTls(plain, target.tlsSettings, context, deadline.signal);
  } finally {
    deadline.dispose();
  }
}

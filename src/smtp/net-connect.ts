import { isIPv6, Socket } from 'node:net';
import { raceAbort } from './deadline.js';
import { SmtpConnectionError } from './errors.js';

/** `host:port`, with IPv6 literals in brackets as in URLs (RFC 3986 3.2.2). */
export function formatEndpoint(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Opens a TCP connection. Resolves once connected; rejects with an SmtpConnectionError naming
 * `what` (e.g. "the SMTP server", "the proxy") and the endpoint, or with the signal's reason
 * when it aborts first. The socket is destroyed on any failure.
 */
export function connectTcp(
  host: string,
  port: number,
  what: string,
  signal: AbortSignal,
): Promise<Socket> {
  const socket = new Socket();
  const onError = (_error: unknown): void => undefined;
  return raceAbort<Socket>(
    signal,
    (resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('error', (error) => reject(describeNetError(error, host, port, what)));
      socket.connect({ host, port });
    },
    (succeeded) => {
      socket.removeAllListeners('connect');
      socket.removeAllListeners('error');
      if (succeeded) return;
      // A late error from the destroyed socket must not become an uncaught exception.
      socket.on('error', onError);
      socket.destroy();
    },
  );
}

const hints: Record<string, { text: string; transient: boolean }> = {
  ECONNREFUSED: {
    text: 'nothing listens on {endpoint}; check the host and port',
    transient: false,
  },
  ENOTFOUND: {
    text: 'host not found: {host} does not resolve; check the host name',
    transient: false,
  },
  EAI_AGAIN: { text: 'the DNS lookup of {host} failed for now; try again later', transient: true },
  ETIMEDOUT: {
    text: 'the connection to {endpoint} timed out; a firewall may drop it',
    transient: true,
  },
  EHOSTUNREACH: { text: 'no route to {endpoint}; check the host and the network', transient: true },
  ENETUNREACH: { text: 'the network of {endpoint} is unreachable from here', transient: true },
  ECONNRESET: { text: '{endpoint} reset the connection', transient: true },
  ECONNABORTED: { text: 'the connection to {endpoint} was aborted', transient: true },
  EPIPE: { text: '{endpoint} closed the connection while we were writing', transient: true },
};

/**
 * Whether a socket error code is the network's doing (a reset, a timeout, a route down), which
 * may pass on a later try, rather than a wrong host or port. Also read for a TLS handshake the
 * network cut (describeTlsError).
 */
export function isTransientNetworkCode(code: string | undefined): boolean {
  return code !== undefined && hints[code]?.transient === true;
}

/**
 * Turns a socket error into an SmtpConnectionError (phase `connect`) that names the endpoint
 * and what to check. The original error is kept as the cause.
 */
export function describeNetError(
  error: unknown,
  host: string,
  port: number,
  what: string,
): SmtpConnectionError {
  const code = (error as { code?: unknown } | null)?.code;
  const hint = typeof code === 'string' ? hints[code] : undefined;
  const endpoint = formatEndpoint(host, port);
  const detail = error instanceof Error ? error.message : String(error);
  const text =
    hint === undefined
      ? `could not connect to ${endpoint}: ${detail}`
      : hint.text.replace('{endpoint}', endpoint).replace('{host}', host);
  return new SmtpConnectionError(`Cannot reach ${what} at ${endpoint}: ${text}.`, {
    phase: 'connect',
    transient: hint?.transient ?? true,
    cause: error,
  });
}

/** 127.0.0.0/8 or ::1 (also as an IPv4-mapped address): traffic that never leaves the host. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * A warning, before any connection, when the TLS mode contradicts a well-known port. A mismatch
 * is slow to show itself: a STARTTLS (or plain) client on 465 waits for a clear-text greeting
 * the server never sends, for the whole greeting timeout, and a connection failure is retried.
 * It stays a warning, not an error: nothing stops a server from using any port for anything.
 */
import type { ServerOptions } from '../smtp/index.js';
import { adviceTermsFor } from './advice-terms.js';
import { Ports } from './constants.js';
import type { ServerSource } from './server-source.js';

/** The warning to show before connecting, or undefined when port and TLS mode agree. */
export function describePortTlsMismatch(
  server: ServerOptions,
  source: ServerSource,
): string | undefined {
  const mode =
    source === 'connection-url'
      ? `the scheme is ${server.tls === 'implicit' ? 'smtps://' : 'smtp://'}`
      : `tls is ${server.tls}`;
  let problem: string;
  // RFC 8314 3.3: on 465 the TLS handshake comes first; the server says nothing in clear text.
  if (server.port === Ports.implicit && server.tls !== 'implicit') {
    problem =
      `Port ${server.port} expects TLS from the first byte (RFC 8314 3.3), but ${mode}: the ` +
      'server will not greet in clear text, so the connection will wait until it times out.';
  } else if (
    // RFC 6409 and RFC 3207: 587 and 25 greet in clear text and upgrade with STARTTLS.
    (server.port === Ports.submission || server.port === Ports.relay) &&
    server.tls === 'implicit'
  ) {
    problem =
      `Port ${server.port} greets in clear text and upgrades with STARTTLS, but ${mode}: the ` +
      'TLS handshake will fail.';
  } else {
    return undefined;
  }
  return `${problem} ${adviceTermsFor(source).agreeOnTls(server)}`;
}

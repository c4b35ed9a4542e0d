import { isIP } from 'node:net';
import { isAuthMechanismName, type AuthMechanismName } from './auth/index.js';
import { isValidEhloName } from './ehlo-name.js';
import { SmtpInputError } from './errors.js';
import { isLoopbackAddress } from './net-connect.js';
import { quoteValue } from './reply-text.js';
import { resolveTimeouts, type Timeouts } from './timeouts.js';
import { tlsModes, type TlsMode, type TlsSettings } from './tls.js';

export interface AuthOptions {
  username: string;
  /** The password; for XOAUTH2, the OAuth 2.0 access token. */
  password: string;
  /** `auto` (default) picks the strongest mechanism both sides offer. */
  mechanism?: AuthMechanismName | 'auto';
}

/** Everything needed to open an authenticated session, without a message. */
export interface ServerOptions {
  host: string;
  port: number;
  tls: TlsMode;
  tlsOptions?: TlsSettings;
  auth?: AuthOptions;
  /**
   * Allows AUTH over a connection without TLS to a host that is not loopback. Anyone on the path
   * can read the password: only for a test server on a trusted network.
   */
  dangerouslyAllowAuthWithoutTls?: boolean;
  /** The name sent with EHLO; defaults to the machine's FQDN, else an address literal. */
  ehloName?: string;
  /** `http://[user:pass@]host:port` of an HTTP CONNECT proxy to tunnel through. */
  proxy?: string;
  timeouts?: Partial<Timeouts>;
  /** Aborts the whole session when signalled. */
  signal?: AbortSignal;
}

/** Connection options after validation, with defaults filled in. */
export interface CheckedConnection {
  host: string;
  port: number;
  tls: TlsMode;
  tlsSettings: TlsSettings;
  auth: AuthOptions | undefined;
  /** `dangerouslyAllowAuthWithoutTls` as given. */
  allowAuthWithoutTls: boolean;
  ehloName: string | undefined;
  proxy: string | undefined;
  timeouts: Timeouts;
  signal: AbortSignal | undefined;
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Loopback needs no TLS for AUTH: nothing leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  return host.toLowerCase() === 'localhost' || isLoopbackAddress(host);
}

function checkHost(host: unknown): string {
  if (typeof host !== 'string' || host.length === 0) {
    throw new SmtpInputError('host is required: the SMTP server name, e.g. smtp.example.com.');
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) === 0 && !HOST_NAME.test(bare)) {
    throw new SmtpInputError(
      `host ${quoteValue(host)} is not a host name or IP address (no scheme, port or path).`,
    );
  }
  return bare;
}

function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SmtpInputError(
      `port ${quoteValue(port)} is not a TCP port: expected a whole number from 1 to 65535 (465 for implicit TLS, 587 for STARTTLS).`,
    );
  }
  return port;
}

function checkTlsMode(mode: unknown): TlsMode {
  if (!tlsModes.includes(mode as TlsMode)) {
    throw new SmtpInputError(
      `tls ${quoteValue(mode)} is not a TLS mode: expected one of ${tlsModes.join(', ')}.`,
    );
  }
  return mode as TlsMode;
}

function checkAuth(options: ServerOptions, host: string): AuthOptions | undefined {
  const auth = options.auth;
  if (auth === undefined) return undefined;
  if (typeof auth.username !== 'string' || typeof auth.password !== 'string') {
    throw new SmtpInputError('auth needs both a username and a password (or token).');
  }
  if (auth.password.length === 0) {
    throw new SmtpInputError('auth.password is empty: give the password or token, or omit auth.');
  }
  const mechanism = auth.mechanism ?? 'auto';
  if (mechanism !== 'auto' && !isAuthMechanismName(mechanism)) {
    throw new SmtpInputError(
      `auth mechanism ${quoteValue(mechanism)} is not supported: expected auto, PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 or XOAUTH2.`,
    );
  }
  // RFC 4954 4: mechanisms that send the password as it is must not run without TLS.
  if (options.tls === 'none' && !isLoopbackHost(host)) {
    if (options.dangerouslyAllowAuthWithoutTls !== true) {
      throw new SmtpInputError(
        `Refusing to send credentials to ${host} without TLS: use tls 'starttls' or 'implicit'.`,
      );
    }
  }
  return { ...auth, mechanism };
}

function checkEhloName(name: unknown): string | undefined {
  if (name === undefined) return undefined;
  // RFC 5321 4.1.1.1 and 4.1.3: a domain name or an address literal such as [192.0.2.1].
  if (typeof name !== 'string' || !isValidEhloName(name)) {
    throw new SmtpInputError(
      `ehloName ${quoteValue(name)} must be a fully qualified domain name (host.example.com) or an address literal ([192.0.2.1]).`,
    );
  }
  return name;
}

function checkProxy(proxy: unknown): string | undefined {
  if (proxy === undefined || proxy === '') return undefined;
  let url: URL;
  try {
    if (typeof proxy !== 'string') throw new TypeError('not a string');
    url = new URL(proxy);
  } catch {
    throw new SmtpInputError('proxy is not a URL: expected http://[user:pass@]host:port.');
  }
  if (url.protocol !== 'http:' || url.hostname === '') {
    throw new SmtpInputError(
      `proxy must be an http:// URL of an HTTP CONNECT proxy, not ${url.protocol}//.`,
    );
  }
  return url.href;
}

/** Validates connection options before anything touches the network. */
export function checkServerOptions(options: ServerOptions): CheckedConnection {
  const host = checkHost(options.host);
  return {
    host,
    port: checkPort(options.port),
    tls: checkTlsMode(options.tls),
    tlsSettings: options.tlsOptions ?? {},
    auth: checkAuth(options, host),
    allowAuthWithoutTls: options.dangerouslyAllowAuthWithoutTls === true,
    ehloName: checkEhloName(options.ehloName),
    proxy: checkProxy(options.proxy),
    timeouts: resolveTimeouts(options.timeouts),
    signal: options.signal,
  };
}

/**
 * The `connection-url` input: a whole server configuration in one secret, as many mail
 * providers hand it out: `smtp://user:pass@host:587` or `smtps://user:pass@host:465`. Also the
 * check of the `proxy` URL, which carries credentials the same way.
 *
 * The whole value is a secret, so no message here ever quotes it or any part of it, and no error
 * keeps the URL parser's error (whose `input` property holds the text) as a cause.
 */
import { ActionInputError } from './action-input-error.js';
import { Inputs, Ports } from './constants.js';
import { checkHostName } from './host-name.js';

export interface ConnectionUrl {
  host: string;
  port: number;
  /** `smtp:` requires STARTTLS (RFC 3207); `smtps:` is TLS from the first byte (RFC 8314 3.3). */
  tls: 'starttls' | 'implicit';
  /** Percent-decoded; '' when the URL carries no credentials. */
  username: string;
  /** Percent-decoded; '' when the URL carries no credentials. */
  password: string;
}

const FORM = 'smtp://user:password@host:587 or smtps://user:password@host:465';

const SCHEMES: Readonly<Record<string, ConnectionUrl['tls']>> = {
  'smtp:': 'starttls',
  'smtps:': 'implicit',
};

function fail(detail: string): never {
  throw new ActionInputError(Inputs.connectionUrl, detail);
}

/**
 * A URL parser silently drops tabs and line breaks (WHATWG URL, basic URL parser), so a URL
 * broken over lines (a YAML folding slip) would authenticate with a password nobody wrote.
 */
const URL_WHITESPACE = /[\t\r\n]/;

const URL_WHITESPACE_ADVICE =
  'contains a line break or tab, which URL parsing would silently drop: write it on one line ' +
  '(percent-encode a line break in a password as %0A).';

/** Said of a user name or password that percent-decoding would refuse. */
function describeBadPercent(what: string): string {
  return `has a % in the ${what} that is not followed by two hex digits: write % as %25.`;
}

/** Percent-decodes a URL's user name or password; undefined for a `%` without two hex digits. */
function decodeUserInfo(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** Parses and checks the URL; throws ActionInputError without quoting any of it. */
export function parseConnectionUrl(raw: string): ConnectionUrl {
  if (URL_WHITESPACE.test(raw)) fail(URL_WHITESPACE_ADVICE);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(`is not a URL. Expected ${FORM} (percent-encode special characters in the password).`);
  }
  const tls = SCHEMES[url.protocol];
  if (tls === undefined) {
    fail(
      `has a scheme other than smtp:// (STARTTLS) or smtps:// (implicit TLS). Expected ${FORM}.`,
    );
  }
  // A path of "/" is what many generators append; anything after it would be silently ignored.
  if (!['', '/'].includes(url.pathname) || url.search !== '' || url.hash !== '') {
    fail(`must not have a path, query or fragment. Expected ${FORM}.`);
  }
  if (url.hostname === '') fail(`has no host. Expected ${FORM}.`);
  const host = checkHostName(url.hostname, {
    input: Inputs.connectionUrl,
    quote: false,
    allowIp: true,
  });
  return { host, port: parsePort(url.port, tls), tls, ...parseCredentials(url) };
}

function parsePort(port: string, tls: ConnectionUrl['tls']): number {
  if (port === '') return tls === 'implicit' ? Ports.implicit : Ports.submission;
  const number = Number(port);
  if (number < 1 || number > 65535) fail('has a port outside 1 to 65535.');
  return number;
}

function parseCredentials(url: URL): Pick<ConnectionUrl, 'username' | 'password'> {
  const username = decodePart(url.username, 'user name');
  const password = decodePart(url.password, 'password');
  if (username !== '' && password === '') {
    fail('has a user name but no password: write user:password@ before the host.');
  }
  if (username === '' && password !== '') {
    fail('has a password but no user name: write user:password@ before the host.');
  }
  return { username, password };
}

function decodePart(part: string, what: string): string {
  return decodeUserInfo(part) ?? fail(describeBadPercent(what));
}

/**
 * What is wrong with the `proxy` URL (an HTTP CONNECT proxy), in words that never quote it, as
 * it may hold a password; undefined when nothing. The same rules as for connection-url.
 */
export function findProxyProblem(value: string): string | undefined {
  if (URL_WHITESPACE.test(value)) return URL_WHITESPACE_ADVICE;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' || url.hostname === '' || !['', '/'].includes(url.pathname)) {
    return 'is not the URL of an HTTP CONNECT proxy: expected http://[user:password@]host:port.';
  }
  // The client percent-decodes both for Proxy-Authorization; a stray % would fail only then.
  if (decodeUserInfo(url.username) === undefined || decodeUserInfo(url.password) === undefined) {
    return describeBadPercent('user name or password');
  }
  return undefined;
}

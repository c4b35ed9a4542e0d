/**
 * The server inputs (`server`, `port`, `tls`, the TLS, AUTH, EHLO and proxy settings, or one
 * `connection-url`) turned into the SMTP client's ServerOptions, every one checked here so
 * that a mistake is reported by input name before any connection is tried.
 */
import {
  isLoopbackHost,
  isValidEhloName,
  type AuthMechanismName,
  type AuthOptions,
  type ServerOptions,
  type TlsMode,
  type TlsSettings,
} from '../smtp/index.js';
import { ActionInputError } from './action-input-error.js';
import {
  Choices,
  Defaults,
  Inputs,
  Ports,
  PROXY_ENV,
  Ranges,
  type Mode,
  type TlsChoice,
} from './constants.js';
import { findProxyProblem, parseConnectionUrl, type ConnectionUrl } from './connection-url.js';
import { checkHostName } from './host-name.js';
import type { InputReader } from './input-reader.js';
import type { ServerSource } from './server-source.js';
import { readWorkspaceFile } from './workspace-file.js';

export interface ServerSettings {
  /** undefined only in dry-run with no server given. */
  server: ServerOptions | undefined;
  tlsVerify: boolean;
  /** Whether host, port, TLS mode and credentials came from `connection-url`. */
  serverSource: ServerSource;
}

/** Host, port, TLS mode and credentials: from `connection-url` or from the separate inputs. */
type Endpoint = Omit<ConnectionUrl, 'tls'> & { tls: TlsMode };

export async function readServerSettings(
  reader: InputReader,
  workspace: string,
  mode: Mode,
): Promise<ServerSettings> {
  const endpoint = readEndpoint(reader);
  if (endpoint.host === '' && mode !== 'dry-run') {
    throw new ActionInputError(
      Inputs.server,
      `is required in ${mode} mode: give the SMTP server's host name (or a connection-url).`,
    );
  }
  const tlsVerify = reader.boolean(Inputs.tlsVerify, Defaults.tlsVerify);
  const server: ServerOptions = {
    host: endpoint.host,
    port: endpoint.port,
    tls: endpoint.tls,
    ...optional('tlsOptions', await readTlsSettings(reader, workspace, tlsVerify)),
    ...optional('auth', readAuth(reader, endpoint)),
    ...optional('ehloName', readEhloName(reader)),
    ...optional('proxy', readProxy(reader)),
  };
  return {
    server: endpoint.host === '' ? undefined : server,
    tlsVerify,
    serverSource: reader.text(Inputs.connectionUrl) === '' ? 'inputs' : 'connection-url',
  };
}

/** `{ [key]: value }`, or nothing when value is undefined: keeps absent options absent. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function readEndpoint(reader: InputReader): Endpoint {
  const tls = reader.choice(Inputs.tls, Choices.tls, Defaults.tls);
  const url = reader.text(Inputs.connectionUrl);
  if (url === '') return readSeparateEndpoint(reader, tls);
  const alsoGiven = [Inputs.server, Inputs.port, Inputs.username, Inputs.password].filter((name) =>
    reader.has(name),
  );
  if (alsoGiven.length > 0) {
    throw new ActionInputError(
      Inputs.connectionUrl,
      `cannot be combined with ${alsoGiven.join(', ')}: the URL already holds the host, port and ` +
        `credentials. Remove ${alsoGiven.join(', ')}, or remove connection-url.`,
    );
  }
  const parsed = parseConnectionUrl(url);
  if (tls !== 'auto' && tls !== parsed.tls) {
    throw new ActionInputError(
      Inputs.tls,
      `"${tls}" contradicts connection-url, whose scheme sets ${parsed.tls} ` +
        '(smtp:// is STARTTLS, smtps:// implicit TLS). Remove tls or change the scheme.',
    );
  }
  return parsed;
}

/**
 * The usual reason a credential is empty: `${{ secrets.NAME }}` of a secret this run cannot see
 * is an empty string, not an error, so the workflow author never learns the name was wrong or
 * the run (a fork's pull request) gets no secrets at all.
 */
const EMPTY_SECRET =
  'Both are needed to log in. A value from a secret is empty when the secret name is misspelt, ' +
  'when the secret is not set for this repository or environment, or in a run for a pull ' +
  'request from a fork (GitHub passes no secrets to those).';

function readSeparateEndpoint(reader: InputReader, tls: TlsChoice): Endpoint {
  const server = reader.text(Inputs.server);
  const host =
    server === ''
      ? ''
      : checkHostName(server, { input: Inputs.server, quote: true, allowIp: true });
  const defaultPort = tls === 'implicit' ? Ports.implicit : Ports.submission;
  const port = reader.integer(Inputs.port, Ranges.port, defaultPort);
  // RFC 8314 3.3: 465 is implicit TLS; anything else under `auto` must upgrade with STARTTLS.
  const mode = tls === 'auto' ? (port === Ports.implicit ? 'implicit' : 'starttls') : tls;
  const username = reader.text(Inputs.username);
  const password = reader.text(Inputs.password);
  if (username !== '' && password === '') {
    throw new ActionInputError(
      Inputs.password,
      `is empty while username is given. ${EMPTY_SECRET}`,
    );
  }
  if (username === '' && password !== '') {
    throw new ActionInputError(
      Inputs.username,
      `is empty while password is given. ${EMPTY_SECRET}`,
    );
  }
  return { host, port, tls: mode, username, password };
}

function readAuth(reader: InputReader, endpoint: Endpoint): AuthOptions | undefined {
  const auth = reader.choice(Inputs.auth, Choices.auth, Defaults.auth);
  if (endpoint.password === '') {
    if (auth !== 'auto') {
      throw new ActionInputError(
        Inputs.auth,
        `"${auth}" needs credentials: give username and password (or a connection-url with them).`,
      );
    }
    return undefined;
  }
  // RFC 4954 4 and RFC 4616 2: the password must not cross the network in clear text.
  if (endpoint.tls === 'none' && endpoint.host !== '' && !isLoopbackHost(endpoint.host)) {
    throw new ActionInputError(
      Inputs.tls,
      `"none" would send the password to ${endpoint.host} unencrypted: use tls starttls or ` +
        'implicit (or auto).',
    );
  }
  const mechanism = auth === 'auto' ? 'auto' : (auth.toUpperCase() as AuthMechanismName);
  return { username: endpoint.username, password: endpoint.password, mechanism };
}

async function readTlsSettings(
  reader: InputReader,
  workspace: string,
  tlsVerify: boolean,
): Promise<TlsSettings | undefined> {
  const settings: TlsSettings = {};
  const ca = await readCa(reader.text(Inputs.tlsCa), workspace);
  if (ca !== undefined) settings.ca = ca;
  const servername = reader.text(Inputs.tlsServername);
  if (servername !== '') {
    const check = { input: Inputs.tlsServername, quote: true, allowIp: false };
    settings.servername = checkHostName(servername, check);
  }
  if (!tlsVerify) settings.dangerouslyAcceptInvalidCertificates = true;
  return Object.keys(settings).length === 0 ? undefined : settings;
}

const PEM_BEGIN = '-----BEGIN ';
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** `tls-ca` holds the PEM itself (typically from a secret or variable) or a workspace path. */
async function readCa(value: string, workspace: string): Promise<string | undefined> {
  if (value === '') return undefined;
  const fromFile = !value.includes(PEM_BEGIN);
  const pem = fromFile ? (await readWorkspaceFile(Inputs.tlsCa, value, workspace)).text : value;
  if (!PEM_CERTIFICATE.test(pem)) {
    const source = fromFile ? `the file ${JSON.stringify(value)}` : 'the text';
    throw new ActionInputError(
      Inputs.tlsCa,
      `${source} holds no PEM certificate: expected the CA certificate from ` +
        '"-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----" (never a private key).',
    );
  }
  return pem;
}

function readEhloName(reader: InputReader): string | undefined {
  const name = reader.text(Inputs.ehloName);
  if (name === '') return undefined;
  if (!isValidEhloName(name)) {
    throw new ActionInputError(
      Inputs.ehloName,
      `${JSON.stringify(name)} is not a fully qualified domain name (runner.example.com) or an ` +
        'address literal ([192.0.2.1], [IPv6:2001:db8::1]).',
    );
  }
  return name;
}

/** `proxy`, else the SMTP_PROXY variable. The URL may hold a password: never quoted. */
function readProxy(reader: InputReader): string | undefined {
  const value = reader.textOrVariable(Inputs.proxy, PROXY_ENV);
  if (value === '') return undefined;
  const problem = findProxyProblem(value);
  if (problem !== undefined) {
    const source = reader.has(Inputs.proxy) ? '' : `(from ${PROXY_ENV}) `;
    throw new ActionInputError(Inputs.proxy, `${source}${problem}`);
  }
  return value;
}

/**
 * The words failure advice uses for what a user changes. With the separate inputs that is an
 * input (`port`, `tls`, `username`); with `connection-url` those inputs must stay unset (giving
 * one next to the URL is an error), so the advice names the part of the URL to change instead:
 * its port, its scheme (smtp:// is STARTTLS, smtps:// implicit TLS), its user name and password.
 */
import type { ServerOptions, SmtpError } from '../smtp/index.js';
import { Inputs, Ports } from './constants.js';
import type { ServerSource } from './server-source.js';

export interface AdviceTerms {
  /** Where the host is set: "`server`". */
  host: string;
  /** Where host and port are set: "`server` and `port`". */
  hostAndPort: string;
  /** Where the port is set: "the `port`". */
  port: string;
  /** The two port and TLS settings that work with submission servers. */
  tlsPairs: string;
  /** Implicit TLS on its port: "`port: 465` with `tls: implicit`". */
  implicitTls: string;
  /** What to do when port and TLS mode disagree; `server` gives the current values. */
  agreeOnTls(server: ServerOptions | undefined): string;
  /** The way to switch TLS off, for a trusted relay, with its warning. */
  plainText: string;
  /** What to use when the server wants TLS first. */
  useTls: string;
  /** Where the credentials are set: "`username` and `password`". */
  credentials: string;
  /** How to authenticate at all. */
  authenticate: string;
  /** Where an app password goes and the user name it goes with. */
  appPassword: string;
  /** The credentials of a mailbox: the full address as the user name, and its password. */
  mailboxCredentials: string;
}

const inputTlsPairs = `\`${Inputs.port}: ${Ports.implicit}\` with \`${Inputs.tls}: implicit\`, or \`${Inputs.port}: ${Ports.submission}\` with \`${Inputs.tls}: starttls\``;

const inputTerms: AdviceTerms = {
  host: `\`${Inputs.server}\``,
  hostAndPort: `\`${Inputs.server}\` and \`${Inputs.port}\``,
  port: `the \`${Inputs.port}\``,
  tlsPairs: inputTlsPairs,
  implicitTls: `\`${Inputs.port}: ${Ports.implicit}\` with \`${Inputs.tls}: implicit\``,
  agreeOnTls: (server) => {
    const current = server === undefined ? '' : ` (now port ${server.port}, tls ${server.tls})`;
    return `Set the \`${Inputs.port}\` and \`${Inputs.tls}\` inputs to agree${current}: ${inputTlsPairs}. \`${Inputs.tls}: auto\` picks implicit TLS on ${Ports.implicit} and STARTTLS elsewhere.`;
  },
  plainText: `Use \`${Inputs.tls}: none\` only for a relay on a network you trust: everything, credentials included, would cross it readable.`,
  useTls: `use ${inputTlsPairs} (or \`${Inputs.tls}: auto\`), not \`${Inputs.tls}: none\``,
  credentials: `\`${Inputs.username}\` and \`${Inputs.password}\` (or \`${Inputs.connectionUrl}\`)`,
  authenticate: `authenticate (\`${Inputs.username}\`, \`${Inputs.password}\`)`,
  appPassword: `\`${Inputs.password}\` (from a secret), with the full address as \`${Inputs.username}\``,
  mailboxCredentials: `\`${Inputs.username}\` (the full mailbox address) and \`${Inputs.password}\``,
};

const url = `\`${Inputs.connectionUrl}\``;
const urlTlsPairs = `\`smtps://user:password@host:${Ports.implicit}\` (implicit TLS), or \`smtp://user:password@host:${Ports.submission}\` (STARTTLS)`;

const urlTerms: AdviceTerms = {
  host: `the host in ${url}`,
  hostAndPort: `the host and port in ${url}`,
  port: `the port in ${url}`,
  tlsPairs: urlTlsPairs,
  implicitTls: `\`smtps://user:password@host:${Ports.implicit}\` in ${url}`,
  agreeOnTls: (server) => {
    const scheme = server?.tls === 'implicit' ? 'smtps://' : 'smtp://';
    const current = server === undefined ? '' : ` (now port ${server.port}, ${scheme})`;
    return `Make the scheme and the port of ${url} agree${current}: ${urlTlsPairs}.`;
  },
  plainText: `${url} always uses TLS; for a relay on a network you trust, use the separate inputs with \`${Inputs.tls}: none\` instead (everything, credentials included, would cross it readable).`,
  useTls: `use ${urlTlsPairs}`,
  credentials: `the user name and password in ${url} (percent-encoded)`,
  authenticate: `authenticate (a user name and password in ${url})`,
  appPassword: `the password in ${url} (percent-encoded), with the full address as its user name`,
  mailboxCredentials: `the user name (the full mailbox address) and the password in ${url}`,
};

/** What a rule knows besides the error: the server as configured, and the words to use. */
export interface AdviceContext {
  server: ServerOptions | undefined;
  terms: AdviceTerms;
}

/** One rule: advice for the failures it recognises, undefined for the rest. */
export type AdviceRule = (error: SmtpError, context: AdviceContext) => string | undefined;

export function adviceTermsFor(source: ServerSource): AdviceTerms {
  return source === 'connection-url' ? urlTerms : inputTerms;
}

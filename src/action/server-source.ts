/**
 * Where the server settings came from, and how the server is named where people read. With
 * `connection-url` the whole URL is a secret, the host included: the runner masks it in the log
 * (secrets.ts registers it), but the job summary is not a log, and `***` says less than a name
 * for where the value lives. So the host is shown as `(connection-url)`.
 */

import type { TranscriptEntry } from '../smtp/index.js';
import { replaceLiterals } from './literal-replacement.js';

/** `inputs`: `server`, `port`, `tls`, `username`, `password`; `connection-url`: the one URL. */
export type ServerSource = 'inputs' | 'connection-url';

/** What stands where the host of a connection URL would be shown. */
const URL_HOST_LABEL = '(connection-url)';

interface Endpoint {
  host: string;
  port: number;
}

/** `host:port`, `[2001:db8::1]:587` for IPv6, or `(connection-url):587`. */
export function describeEndpoint(server: Endpoint, source: ServerSource): string {
  if (source === 'connection-url') return `${URL_HOST_LABEL}:${server.port}`;
  return server.host.includes(':')
    ? `[${server.host}]:${server.port}`
    : `${server.host}:${server.port}`;
}

/**
 * `text` with the host of a connection URL replaced by `(connection-url)`, in any letter case
 * (servers and resolvers change it) and with IPv6 brackets; unchanged for the separate inputs.
 */
export function hideUrlHost(
  text: string,
  server: Endpoint | undefined,
  source: ServerSource,
): string {
  if (source !== 'connection-url' || server === undefined || server.host === '') return text;
  return replaceLiterals(text, [`[${server.host}]`, server.host], URL_HOST_LABEL);
}

/** The transcript with `hideUrlHost` applied to every line (the greeting names the host). */
export function hideUrlHostInTranscript(
  entries: readonly TranscriptEntry[],
  server: Endpoint,
  source: ServerSource,
): TranscriptEntry[] {
  return entries.map((entry) => ({ ...entry, text: hideUrlHost(entry.text, server, source) }));
}

/**
 * The job summary: what was sent, to whom, and what the server said. GitHub renders it as
 * Markdown with HTML, and anyone with read access to the repository can see it, so:
 *
 * - every value is HTML-escaped and its line breaks become `<br>`, in the failure's `<pre>` too:
 *   the subject comes from a template (a pull request title is untrusted) and replies come from
 *   the server, and a blank line anywhere ends the HTML block the summary is (CommonMark 4.6; a
 *   `<pre>` that does not open a block is no exception), letting Markdown links and images in;
 * - Bcc recipients appear only as a count, never by address, and their replies are left out
 *   because servers quote the address in them (`550 5.1.1 <x@example.com>: unknown`); in the
 *   failure text and the server's response each Bcc address is replaced;
 * - with `connection-url` the host is part of a secret: the Server row shows `(connection-url)`,
 *   and the host is replaced in the server's text and the failure the same way.
 */
import * as core from '@actions/core';
import { formatReply, type RecipientReply, type Reply, type TlsInfo } from '../smtp/index.js';
import { escapeHtml as escapeTemplateHtml } from '../template/index.js';
import { formatSeconds } from './backoff.js';
import type { OutputResult } from './outputs.js';
import { replaceLiterals } from './literal-replacement.js';
import { describeEndpoint, hideUrlHost, type ServerSource } from './server-source.js';

export interface SummaryInput {
  result: OutputResult;
  subject?: string | undefined;
  from?: string | undefined;
  /** Envelope recipients when no server answered (dry run). */
  recipients?: readonly string[] | undefined;
  accepted?: readonly RecipientReply[] | undefined;
  rejected?: readonly RecipientReply[] | undefined;
  /** Envelope addresses that came from `bcc`: shown only as a count. */
  bcc?: readonly string[] | undefined;
  /** The server's reply to the final dot. */
  response?: Reply | undefined;
  server?: { host: string; port: number } | undefined;
  /** `connection-url`: the host is a secret, shown as `(connection-url)` and hidden in replies. */
  serverSource?: ServerSource | undefined;
  tls?: TlsInfo | undefined;
  authMechanism?: string | undefined;
  attempts?: number | undefined;
  durationMs?: number | undefined;
  messageId?: string | undefined;
  emlPath?: string | undefined;
  /** Why it failed and what to do (adviseOnFailure), shown under the table. */
  failure?: string | undefined;
}

const headings: Readonly<Record<OutputResult, string>> = {
  sent: '✅ Email sent',
  partial: '⚠️ Email sent, with rejected recipients',
  failed: '❌ Email not sent',
  unknown: '❓ Email may not have been delivered',
  'dry-run': '🧪 Dry run: email composed, not sent',
  verified: '🔌 SMTP connection verified',
};

/** Text as HTML that shows exactly that text, on one block: line breaks become `<br>`. */
export function escapeHtml(text: string): string {
  return escapeTemplateHtml(text).replace(/\r\n|[\r\n\u2028\u2029]/g, '<br>');
}

/** Writes the summary to GITHUB_STEP_SUMMARY; does nothing outside a runner (no such file). */
export async function writeSummary(summary: SummaryInput): Promise<void> {
  if ((process.env.GITHUB_STEP_SUMMARY ?? '') === '') return;
  core.summary.addHeading(escapeHtml(headings[summary.result]), 2);
  core.summary.addTable(
    buildRows(summary).map(([name, value]) => [{ data: escapeHtml(name), header: true }, value]),
  );
  if (summary.failure !== undefined && summary.failure !== '') {
    const failure = hidePrivate(summary.failure, summary);
    core.summary.addRaw(`<pre>${escapeHtml(failure)}</pre>`, true);
  }
  await core.summary.write();
}

const bccMark = '[Bcc recipient]';

/** Server text with what the summary keeps private replaced: Bcc addresses, a URL's host. */
function hidePrivate(text: string, summary: SummaryInput): string {
  const source = summary.serverSource ?? 'inputs';
  return hideUrlHost(hideBccAddresses(text, summary.bcc ?? []), summary.server, source);
}

/** `text` with every Bcc address, in any letter case, replaced by a mark. */
function hideBccAddresses(text: string, bcc: readonly string[]): string {
  return replaceLiterals(text, bcc.map(normalizeAddress), bccMark);
}

type Row = [name: string, html: string];

/** The table's rows, each value already escaped; absent values are left out. */
function buildRows(summary: SummaryInput): Row[] {
  const bcc = new Set((summary.bcc ?? []).map(normalizeAddress));
  const response = summary.response && formatReply(summary.response);
  const hide = (value: string): string => hidePrivate(value, summary);
  const source = summary.serverSource ?? 'inputs';
  const rows: (Row | undefined)[] = [
    text('Subject', summary.subject),
    text('From', summary.from),
    summary.recipients && ['Recipients', listAddresses(summary.recipients, bcc)],
    summary.accepted && ['Accepted', listRecipients(summary.accepted, bcc, false, hide)],
    summary.rejected?.length
      ? ['Rejected', listRecipients(summary.rejected, bcc, true, hide)]
      : undefined,
    text('Server response', response && hide(response)),
    text('Server', summary.server && describeEndpoint(summary.server, source)),
    text('TLS', summary.tls && `${summary.tls.protocol}, ${summary.tls.cipher}`),
    text('AUTH mechanism', summary.authMechanism),
    text('Attempts', summary.attempts?.toString()),
    text(
      'Duration',
      summary.durationMs === undefined ? undefined : formatSeconds(summary.durationMs),
    ),
    text('Message-ID', summary.messageId),
    text('.eml file', summary.emlPath),
  ];
  return rows.filter((row): row is Row => row !== undefined);
}

function text(name: string, value: string | undefined): Row | undefined {
  return value === undefined || value === '' ? undefined : [name, escapeHtml(value)];
}

/** Envelope addresses compare case-insensitively here: hiding too much beats showing a Bcc. */
function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

function bccCount(count: number): string {
  return `${count} Bcc ${count === 1 ? 'recipient' : 'recipients'}`;
}

function listAddresses(addresses: readonly string[], bcc: ReadonlySet<string>): string {
  const shown = addresses.filter((address) => !bcc.has(normalizeAddress(address)));
  const hidden = addresses.length - shown.length;
  const items = shown.map(escapeHtml);
  if (hidden > 0) items.push(escapeHtml(bccCount(hidden)));
  return items.length > 0 ? items.join('<br>') : 'none';
}

/** One recipient per line; refused ones with the server's reply, Bcc ones only counted. */
function listRecipients(
  recipients: readonly RecipientReply[],
  bcc: ReadonlySet<string>,
  withReplies: boolean,
  hide: (text: string) => string,
): string {
  const shown = recipients.filter(({ address }) => !bcc.has(normalizeAddress(address)));
  const hidden = recipients.length - shown.length;
  const items = shown.map(({ address, reply }) =>
    escapeHtml(withReplies ? `${address}: ${hide(formatReply(reply))}` : address),
  );
  if (hidden > 0) items.push(escapeHtml(bccCount(hidden)));
  return items.length > 0 ? items.join('<br>') : 'none';
}

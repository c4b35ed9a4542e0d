/**
 * `mode: dry-run`: everything a send does except the connection. The composed message is
 * written as an .eml file (RFC 5322 bytes, as they would go after DATA) and shown in the log.
 */

import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComposedMessage } from '../mime/index.js';
import { listBccAddresses } from './message.js';
import { writeOutputs } from './outputs.js';
import type { PreparedMessage } from './prepared-message.js';
import { escapeUntrustedInline, printUntrusted } from './safe-log.js';
import type { Settings } from './settings.js';
import { writeSummary } from './summary.js';

/** Lines of the message shown in the log; the file always holds all of it. */
const MAX_PRINTED_LINES = 400;

/** Prefix of each printed line: the message holds template output, e.g. a pull request title. */
const LINE_PREFIX = 'eml| ';

/** Writes and shows the message, and reports it in the outputs and summary; connects nowhere. */
export async function runDryRunMode(
  settings: Settings,
  prepared: PreparedMessage,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  const { composed } = prepared;
  const emlPath = await writeDryRun(composed, env);
  writeOutputs({ messageId: composed.messageId, result: 'dry-run', emlPath });
  await writeSummary({
    result: 'dry-run',
    subject: prepared.parts.subject,
    from: settings.message.from,
    recipients: composed.envelope.to,
    bcc: listBccAddresses(settings.message.bcc),
    messageId: composed.messageId,
    emlPath,
  });
}

/**
 * Writes the message to `$RUNNER_TEMP/smtp-notify-<stamp>.eml` (the OS temp folder outside a
 * runner), prints it, and returns the path. RUNNER_TEMP is emptied after every job, so the file
 * is there for later steps (an upload-artifact, a check) and gone afterwards.
 */
async function writeDryRun(
  message: ComposedMessage,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  const folder =
    env.RUNNER_TEMP !== undefined && env.RUNNER_TEMP !== '' ? env.RUNNER_TEMP : tmpdir();
  const path = join(folder, `smtp-notify-${stampOf(message.messageId)}.eml`);
  await writeFile(path, message.bytes);
  printMessage(message, path);
  return path;
}

/**
 * The file name part from a Message-ID: its random left side, reduced to characters every file
 * system accepts. Unique per message, and the same string a reader finds in the headers.
 */
function stampOf(messageId: string): string {
  const left = messageId.replace(/^</, '').split('@')[0] ?? '';
  const safe = left.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return safe === '' ? String(Date.now()) : safe;
}

function printMessage(message: ComposedMessage, path: string): void {
  const lines = Buffer.from(message.bytes).toString('utf8').split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  core.info(`Dry run: nothing was sent. The message (${message.size} bytes) is in ${path}:`);
  printUntrusted(lines.slice(0, MAX_PRINTED_LINES), LINE_PREFIX);
  if (lines.length > MAX_PRINTED_LINES) {
    core.info(`(${lines.length - MAX_PRINTED_LINES} more lines in ${path})`);
  }
  // Addresses may come from event data through an expression; a quoted local part can hold `##[`.
  const { from, to } = message.envelope;
  core.info(`Envelope: from ${escapeUntrustedInline(`${from} to ${to.join(', ')}`)}`);
}

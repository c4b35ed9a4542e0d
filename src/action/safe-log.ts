/**
 * Printing text the action does not control (server replies, the composed message, event data)
 * so that it cannot run workflow commands. The runner reads two forms (actions/runner,
 * ActionCommand.cs): `::name::data` at the start of a line after leading whitespace
 * (`::add-mask::`, `::set-output::`, `::error::`), and the older `##[name k=v;]data` ANYWHERE in
 * a line, which still sets outputs and masks. CVE-2020-15228 was exactly this, through `set-env`.
 * Two layers, either one enough alone:
 *
 * 1. every line is printed behind a prefix that is not whitespace, so no line starts with `::`,
 *    and every `##[` is shown as `##\u005b`, which the runner does not match;
 * 2. the block is wrapped in `::stop-commands::<token>` ... `::<token>::`, which makes the runner
 *    ignore commands of both forms until the token comes back; the token is random, never
 *    derived from the text, so the text cannot end the pause itself.
 */
import * as core from '@actions/core';
import { randomUUID } from 'node:crypto';
import { EOL } from 'node:os';
import type { TranscriptEntry } from '../smtp/index.js';

/** Line breaks the runner or a log viewer may honour: each starts a new prefixed line. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029\u0085]/;

// Other C0 and C1 controls and DEL: terminal escapes could redraw or hide log text. And the
// bidirectional overrides and isolates (CVE-2021-42574): they reorder what a reader sees, so a
// file name `report<U+202E>fdp.exe` shows as `reportexe.pdf`. Plain right-to-left text stays.
// eslint-disable-next-line no-control-regex -- matching controls is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `\u001b` for ESC: the character shown, not acted on. */
function showCodePoint(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function escapeControls(text: string): string {
  return text.replace(CONTROL, showCodePoint);
}

/** The runner's legacy command opener, matched anywhere in a line (ActionCommand.TryParse). */
const LEGACY_COMMAND = /##\[/g;

/** `##[` as `##\u005b`: the same `\uXXXX` notation as escaped controls, valid inside JSON. */
function disarmLegacyCommands(text: string): string {
  return text.replace(LEGACY_COMMAND, '##\\u005b');
}

// Every C0 and C1 control, DEL, the Unicode line separators, line breaks included, and the
// bidirectional overrides and isolates.
// eslint-disable-next-line no-control-regex -- matching controls is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Untrusted text for the middle of a log line the action writes (`Attempt 1 failed (...)`): one
 * line, controls shown as `\uXXXX`, legacy commands disarmed. The caller's own text must start
 * the line, so that it cannot begin with `::`.
 */
export function escapeUntrustedInline(text: string): string {
  return disarmLegacyCommands(text.replace(UNPRINTABLE, showCodePoint));
}

/**
 * Untrusted text inside an annotation (`core.setFailed`, `core.warning`): its lines are kept,
 * since @actions/core encodes line breaks into the one `::error::` line it writes, and each line
 * is escaped as by escapeUntrustedInline, `##[` included: whatever the runner does with a legacy
 * command inside a command line, and wherever the message is shown later, it is inert text.
 */
export function escapeUntrustedLines(text: string): string {
  return text.split(LINE_BREAK).map(escapeUntrustedInline).join('\n');
}

/** The runner trims leading whitespace before it looks for `::`, so the prefix must not be blank. */
function checkPrefix(prefix: string): void {
  if (prefix.trimStart() === '' || prefix.trimStart() !== prefix || prefix.startsWith(':')) {
    throw new TypeError(
      `printUntrusted needs a prefix that starts with a visible character other than ':', e.g. "S: "; got ${JSON.stringify(prefix)}.`,
    );
  }
}

/**
 * Each untrusted line, split at every line break, with its prefix in front of each piece; `##[`
 * is disarmed after the prefix is added, in case the two meet (`#` + `#[`).
 */
function prefixLines(lines: Iterable<string>, prefix: string): string[] {
  const printed: string[] = [];
  for (const line of lines) {
    for (const piece of line.split(LINE_BREAK))
      printed.push(disarmLegacyCommands(prefix + escapeControls(piece)));
  }
  return printed;
}

/** Writes already-prefixed lines inside a stop-commands pause, as one write. */
function writePaused(lines: readonly string[]): void {
  if (lines.length === 0) return;
  const token = randomUUID();
  core.info([`::stop-commands::${token}`, ...lines, `::${token}::`].join(EOL));
}

/**
 * Prints each line behind `prefix` (e.g. `S: `, `eml| `) with workflow commands paused around
 * the block. A line holding line breaks becomes several lines, each prefixed.
 */
export function printUntrusted(lines: Iterable<string>, prefix: string): void {
  checkPrefix(prefix);
  writePaused(prefixLines(lines, prefix));
}

const transcriptPrefixes: Readonly<Record<TranscriptEntry['direction'], string>> = {
  client: 'C: ',
  server: 'S: ',
  info: '*  ',
};

/** The redacted SMTP conversation in a collapsed log group, `C: `, `S: ` and `*  ` lines. */
export function printTranscript(entries: readonly TranscriptEntry[]): void {
  core.startGroup('SMTP transcript');
  try {
    const lines = entries.flatMap((entry) =>
      prefixLines([entry.text], transcriptPrefixes[entry.direction]),
    );
    writePaused(lines.length > 0 ? lines : ['*  (nothing was exchanged)']);
  } finally {
    core.endGroup();
  }
}

/** Longest untrusted value quoted into a message; the rest is cut and marked. */
const maxQuotedLength = 300;

/**
 * One untrusted value as a quoted, single-line string for a log line or message: `"text"`,
 * with quotes, backslashes, line breaks and controls escaped, `##[` disarmed and long text
 * shortened. It starts with `"`, so even at the start of a line it cannot be read as a
 * workflow command, and it is still a JSON string of the (shortened) text.
 */
export function quoteUntrusted(text: string, maxLength: number = maxQuotedLength): string {
  const cut = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return escapeUntrustedInline(JSON.stringify(cut));
}

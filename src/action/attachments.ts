/**
 * The `attachments` input: glob patterns, one per line, relative to the workspace, resolved to
 * files that go into the message. Sizes are checked before a byte is read, so a pattern that
 * matches a 2 GB build directory fails fast instead of exhausting the runner's memory.
 */

import * as core from '@actions/core';
import * as glob from '@actions/glob';
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import type { AttachmentInput } from '../mime/index.js';
import { ActionInputError } from './action-input-error.js';
import { Inputs } from './constants.js';
import { escapeUntrustedInline } from './safe-log.js';

export interface AttachmentSettings {
  patterns: string[];
  ifNoFilesFound: 'warn' | 'error' | 'ignore';
  maxBytes: number;
}

export interface CollectedAttachments {
  attachments: AttachmentInput[];
  /** Absolute paths, in the order attached. */
  paths: string[];
  totalBytes: number;
}

/**
 * Resolves the patterns to files (directories are expanded, never attached themselves), sorted
 * by path and each once, checks their total size against `maxBytes`, then reads them.
 */
export async function collectAttachments(
  settings: AttachmentSettings,
  workspace: string,
): Promise<CollectedAttachments> {
  const lines = settings.patterns.map((line) => line.trim()).filter(isPattern);
  if (lines.length === 0) return { attachments: [], paths: [], totalBytes: 0 };
  const paths = await matchFiles(lines, workspace);
  if (paths.length === 0) {
    reportNoFiles(lines, settings.ifNoFilesFound);
    return { attachments: [], paths: [], totalBytes: 0 };
  }
  const totalBytes = await measureFiles(paths, settings.maxBytes);
  const attachments = await Promise.all(
    paths.map(async (path) => ({ filename: basename(path), content: await readFile(path) })),
  );
  return { attachments, paths, totalBytes };
}

function isPattern(line: string): boolean {
  return line !== '' && !line.startsWith('#');
}

async function matchFiles(lines: string[], workspace: string): Promise<string[]> {
  const patterns = lines.map((line) => anchorPattern(line, workspace)).join('\n');
  try {
    const globber = await glob.create(patterns, {
      matchDirectories: false,
      implicitDescendants: true,
      followSymbolicLinks: true,
      // A pattern like `.` or `dist` would otherwise take `.git/config`, where actions/checkout
      // keeps the job's token, and `.env` files: mail leaves the runner for good. The same
      // default actions/upload-artifact adopted in v4.4 for the same reason.
      excludeHiddenFiles: true,
    });
    const found = await globber.glob();
    return [...new Set(found)].sort(compareCodePoints);
  } catch (error) {
    throw new ActionInputError(
      Inputs.attachments,
      `${describe(error)}. Give one glob pattern per line, relative to ` +
        'the workspace (no "." or ".." segments), e.g. "reports/**/*.pdf" or "!**/*.tmp".',
    );
  }
}

/**
 * Relative patterns are anchored at the workspace rather than the process's working directory,
 * which a previous step or `working-directory` may have changed. The workspace path itself is
 * escaped so that a `[` or `*` in it is not taken as a wildcard.
 */
function anchorPattern(line: string, workspace: string): string {
  const negated = /^!+/.exec(line)?.[0] ?? '';
  let rest = line.slice(negated.length).trim();
  if (isAbsolute(rest) || rest === '~' || rest.startsWith('~/')) return line;
  while (rest.startsWith('./')) rest = rest.slice(2);
  const root = escapeGlob(workspace.replace(/\/+$/, ''));
  return `${negated}${rest === '.' || rest === '' ? root : `${root}/${rest}`}`;
}

function escapeGlob(path: string): string {
  return path
    .replace(/\\/g, '\\\\')
    .replace(/\[/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]');
}

/** Sums sizes from fs.stat and fails before reading anything when they pass the cap. */
async function measureFiles(paths: string[], maxBytes: number): Promise<number> {
  const sizes = await Promise.all(paths.map(async (path) => (await stat(path)).size));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > maxBytes) {
    const largest = paths
      .map((path, i) => ({ path, size: sizes[i] ?? 0 }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map(({ path, size }) => `${path} (${formatBytes(size)})`);
    throw new ActionInputError(
      Inputs.attachments,
      `the ${paths.length} matched file(s) total ${formatBytes(total)}, ` +
        `over the ${formatBytes(maxBytes)} limit of ${Inputs.attachmentsMaxSize}. Largest: ` +
        `${largest.join(', ')}. Narrow the patterns, compress the files, or raise ` +
        `${Inputs.attachmentsMaxSize} (most providers refuse messages over 20-25 MB; base64 ` +
        'adds a third).',
    );
  }
  return total;
}

function reportNoFiles(lines: string[], ifNoFilesFound: AttachmentSettings['ifNoFilesFound']) {
  const message =
    `no files were found for ${lines.join(', ')}, relative to the workspace; hidden files ` +
    'and directories (names starting with ".") are never attached.';
  if (ifNoFilesFound === 'error') {
    throw new ActionInputError(
      Inputs.attachments,
      `${message} Fix the patterns, or set ${Inputs.ifNoFilesFound} to warn or ignore.`,
    );
  }
  // Patterns may come from event data through an expression: one escaped line.
  const note = escapeUntrustedInline(`Input "${Inputs.attachments}": ${message}`);
  if (ifNoFilesFound === 'warn') core.warning(note);
  else core.info(note);
}

/** SI units, as the `attachments-max-size` default (25MB) is written. */
function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  const [factor, unit] = units.find(([size]) => bytes >= size) ?? [1, 'B'];
  return factor === 1 ? `${bytes} B` : `${(bytes / factor).toFixed(1)} ${unit}`;
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The `attachments` input: glob patterns, one per line, relative to the workspace, resolved to
 * files that go into the message. Sizes are checked before a byte is read, so a pattern that
 * matches a 2 GB build directory fails fast instead of exhausting the runner's memory. In a
 * pull request the files are the pull request's, links included: every file must really lie in
 * the workspace and be an ordinary file, or the step fails naming it (file-boundary.ts).
 */

import * as core from '@actions/core';
import * as glob from '@actions/glob';
import { basename, relative, resolve } from 'node:path';
import type { AttachmentInput } from '../mime/index.js';
import { ActionInputError } from './action-input-error.js';
import {
  anchorPattern,
  createBoundaries,
  isPattern,
  type PatternBoundaries,
} from './attachment-patterns.js';
import { Inputs, type IfNoFilesFound } from './constants.js';
import {
  FileRefusal,
  isWithin,
  measureRegularFile,
  readRegularFile,
  resolveWithin,
} from './file-boundary.js';
import { escapeUntrustedInline } from './safe-log.js';

export interface AttachmentSettings {
  /** Glob patterns, one per line, as given (blank lines dropped). */
  patterns: string[];
  ifNoFilesFound: IfNoFilesFound;
  /** The cap on the total size of all attachments, in bytes. */
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
  const files = await matchFiles(lines, workspace);
  if (files.length === 0) {
    reportNoFiles(lines, settings.ifNoFilesFound);
    return { attachments: [], paths: [], totalBytes: 0 };
  }
  checkTotal(files, settings.maxBytes, workspace);
  const attachments: AttachmentInput[] = [];
  for (const file of files) {
    const content = await readMatched(file, settings.maxBytes, workspace);
    attachments.push({ filename: basename(file.path), content });
  }
  // Measured again from what was read: a file may have grown since it was measured.
  const read = files.map((file, i) => ({ ...file, size: attachments[i]?.content.length ?? 0 }));
  const totalBytes = checkTotal(read, settings.maxBytes, workspace);
  return { attachments, paths: files.map((file) => file.path), totalBytes };
}

/** A file a pattern matched: the path as found, its real path, and its size on disk. */
interface MatchedFile {
  path: string;
  real: string;
  size: number;
}

/**
 * Globs lazily and admits each file as it is found, so a linked folder that leads out of the
 * workspace (to `/`, say) stops the search at its first file instead of after walking the disk.
 */
async function matchFiles(lines: string[], workspace: string): Promise<MatchedFile[]> {
  const globber = await createGlobber(lines, workspace);
  const boundaries = await createBoundaries(lines, workspace);
  const found = new Map<string, MatchedFile>();
  try {
    for await (const path of globber.globGenerator()) {
      if (!found.has(path)) found.set(path, await admitFile(path, boundaries, workspace));
    }
  } catch (error) {
    if (error instanceof ActionInputError) throw error;
    throw new ActionInputError(
      Inputs.attachments,
      `the search for files stopped: ${describe(error)}. A symbolic link that loops, or that ` +
        'leads to a folder the runner cannot read, stops it: remove the link or narrow the patterns.',
    );
  }
  return [...found.values()].sort((a, b) => compareCodePoints(a.path, b.path));
}

async function createGlobber(lines: string[], workspace: string): Promise<glob.Globber> {
  const patterns = lines.map((line) => anchorPattern(line, workspace)).join('\n');
  try {
    return await glob.create(patterns, {
      matchDirectories: false,
      implicitDescendants: true,
      // Links are followed, so a link to a folder of reports still works; where each one
      // really leads is checked file by file (admitFile) before anything is read.
      followSymbolicLinks: true,
      // A pattern like `.` or `dist` would otherwise take `.git/config`, where actions/checkout
      // keeps the job's token, and `.env` files: mail leaves the runner for good. The same
      // default actions/upload-artifact adopted in v4.4 for the same reason.
      excludeHiddenFiles: true,
    });
  } catch (error) {
    throw new ActionInputError(
      Inputs.attachments,
      `${describe(error)}. Give one glob pattern per line, relative to ` +
        'the workspace (no "." or ".." segments), e.g. "reports/**/*.pdf" or "!**/*.tmp".',
    );
  }
}

/** Resolves and measures one found file, or refuses it naming the file and why. */
async function admitFile(
  path: string,
  boundaries: PatternBoundaries,
  workspace: string,
): Promise<MatchedFile> {
  const candidates = isWithin(path, boundaries.workspace.path)
    ? [boundaries.workspace]
    : boundaries.absolute.filter((boundary) => isWithin(path, boundary.path));
  let refusal: unknown = new FileRefusal(
    'place',
    'it lies outside the workspace and outside the folder of every absolute pattern.',
  );
  for (const boundary of candidates) {
    try {
      const real = await resolveWithin(path, boundary);
      return { path, real, size: await measureRegularFile(real) };
    } catch (error) {
      refusal = error;
    }
  }
  throw refuseFile(path, refusal, workspace);
}

async function readMatched(file: MatchedFile, maxBytes: number, workspace: string) {
  try {
    return await readRegularFile(file.real, maxBytes);
  } catch (error) {
    throw refuseFile(file.path, error, workspace);
  }
}

function refuseFile(path: string, error: unknown, workspace: string): ActionInputError {
  const advice =
    error instanceof FileRefusal && error.reason === 'place'
      ? ' A pull request can add symbolic links, so files are attached only from inside the ' +
        'workspace (or the folder an absolute pattern names), never through a link into a ' +
        'hidden folder: replace the link with the file itself, or narrow the patterns.'
      : '';
  return new ActionInputError(
    Inputs.attachments,
    `refused ${showPath(path, workspace)}: ${describe(error)}${advice}`,
  );
}

/** Sums the sizes and fails when they pass the cap, naming the largest files. */
function checkTotal(files: readonly MatchedFile[], maxBytes: number, workspace: string): number {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > maxBytes) {
    // Quoted: a file name from the repository can hold a line break or `::`.
    const largest = [...files]
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map(({ path, size }) => `${showPath(path, workspace)} (${formatBytes(size)})`);
    throw new ActionInputError(
      Inputs.attachments,
      `the ${files.length} matched file(s) total ${formatBytes(total)}, ` +
        `over the ${formatBytes(maxBytes)} limit of ${Inputs.attachmentsMaxSize}. Largest: ` +
        `${largest.join(', ')}. Narrow the patterns, compress the files, or raise ` +
        `${Inputs.attachmentsMaxSize} (most providers refuse messages over 20-25 MB; base64 ` +
        'adds a third).',
    );
  }
  return total;
}

function reportNoFiles(lines: string[], ifNoFilesFound: IfNoFilesFound) {
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

/** A found file for a message: quoted, relative to the workspace when it lies in it. */
function showPath(path: string, workspace: string): string {
  const root = resolve(workspace);
  return JSON.stringify(isWithin(path, root) ? relative(root, path) : path);
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

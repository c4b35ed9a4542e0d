/**
 * The lines of the `attachments` input as @actions/glob patterns: relative ones anchored at the
 * workspace, and, for absolute ones, the literal folder they start from, which bounds where
 * their files may really lie (see file-boundary.ts).
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createBoundary, type FileBoundary } from './file-boundary.js';

/** Blank lines and `#` comments are not patterns, as @actions/glob reads them. */
export function isPattern(line: string): boolean {
  return line !== '' && !line.startsWith('#');
}

/**
 * Relative patterns are anchored at the workspace rather than the process's working directory,
 * which a previous step or `working-directory` may have changed. The workspace path itself is
 * escaped so that a `[` or `*` in it is not taken as a wildcard.
 */
export function anchorPattern(line: string, workspace: string): string {
  const negated = /^!+/.exec(line)?.[0] ?? '';
  let rest = line.slice(negated.length).trim();
  if (isAbsolutePattern(rest)) return line;
  while (rest.startsWith('./')) rest = rest.slice(2);
  const root = escapeGlob(workspace.replace(/\/+$/, ''));
  return `${negated}${rest === '.' || rest === '' ? root : `${root}/${rest}`}`;
}

function isAbsolutePattern(pattern: string): boolean {
  return isAbsolute(pattern) || pattern === '~' || pattern.startsWith('~/');
}

function escapeGlob(path: string): string {
  return path
    .replace(/\\/g, '\\\\')
    .replace(/\[/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]');
}

/**
 * For a pattern the user wrote as an absolute path (or from `~`, the home folder as
 * @actions/glob expands it): its leading segments up to the first one with a wildcard, which is
 * where the glob starts searching. Undefined for relative and negated patterns.
 */
export function literalBaseOf(line: string, home: string = homedir()): string | undefined {
  if (line.startsWith('!')) return undefined;
  const pattern = line.trim();
  if (!isAbsolutePattern(pattern)) return undefined;
  const expanded = pattern.startsWith('~') ? home + pattern.slice(1) : pattern;
  const literal: string[] = [];
  for (const segment of expanded.split('/')) {
    const text = literalSegment(segment);
    if (text === undefined) break;
    literal.push(text);
  }
  const base = literal.join('/').replace(/\/+$/, '');
  return base === '' ? '/' : base;
}

/**
 * A segment as the literal name it matches, undefined if it is a wildcard: the rules of
 * @actions/glob (`\` escapes the next character, `[x]` is the single character x, `*`, `?` and
 * a longer `[...]` are wildcards). Braces and extglobs are off there, so they are literal here.
 */
function literalSegment(segment: string): string | undefined {
  let text = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] ?? '';
    if (char === '\\' && i + 1 < segment.length) {
      text += segment[++i] ?? '';
    } else if (char === '*' || char === '?') {
      return undefined;
    } else if (char === '[') {
      const set = readBracket(segment, i);
      if (set === undefined) {
        text += char;
        continue;
      }
      if (set.text.length > 1) return undefined;
      text += set.text === '' ? char : set.text;
      i = set.text === '' ? i : set.close;
    } else {
      text += char;
    }
  }
  return text;
}

/** The characters of a `[...]` starting at `open`, `\` escapes undone; undefined if unclosed. */
function readBracket(segment: string, open: number): { text: string; close: number } | undefined {
  let text = '';
  for (let i = open + 1; i < segment.length; i++) {
    const char = segment[i] ?? '';
    if (char === '\\' && i + 1 < segment.length) text += segment[++i] ?? '';
    else if (char === ']') return { text, close: i };
    else text += char;
  }
  return undefined;
}

/**
 * The workspace, and the literal folder of each absolute pattern, that exists. A file found in
 * the workspace must really lie in it, whatever pattern found it: the pull request controls
 * every name there, so an absolute pattern into the workspace gets no wider bounds.
 */
export async function createBoundaries(
  lines: string[],
  workspace: string,
): Promise<PatternBoundaries> {
  const own = await createBoundary(workspace, `the workspace (${resolve(workspace)})`);
  const absolute: FileBoundary[] = [];
  for (const line of lines) {
    const base = literalBaseOf(line);
    if (base === undefined) continue;
    // A pattern naming one file is bounded by the folder it is in, not by where it leads.
    const folder = await stat(base).then(
      (info) => (info.isDirectory() ? base : dirname(base)),
      () => undefined,
    );
    if (folder === undefined) continue;
    const description = `the folder of the pattern ${JSON.stringify(line)}`;
    absolute.push(await createBoundary(folder, description));
  }
  return { workspace: own, absolute };
}

/** Where the files the patterns find may really lie (see file-boundary.ts). */
export interface PatternBoundaries {
  workspace: FileBoundary;
  absolute: FileBoundary[];
}

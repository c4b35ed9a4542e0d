/**
 * The suite's closing secret check (issue 6, group 7), kept apart from the vitest wiring in
 * global-setup.ts so that its own tests can run it on planted captures. It reads what every
 * worker captured through `captureForHygiene` and finds each secret as it is, percent-encoded,
 * or in base64 at any of the 3 alignments a PLAIN, LOGIN or XOAUTH2 blob can put it at.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { TEST_PASSWORD, TEST_TOKEN, type HygieneCapture } from '../helpers/hygiene.js';
import { secretVariants } from '../helpers/secrets.js';

const MIN_SECRET_LENGTH = 6;

/** A secret and the name a report may print instead of it. */
export interface NamedSecret {
  name: string;
  value: string;
}

/** Where a secret was found: never the secret itself, only its name, form and place. */
export interface Leak {
  secret: string;
  form: string;
  source: string;
  at: number;
}

export interface CheckResult {
  captures: number;
  sources: number;
  files: number;
  leaks: Leak[];
  /** The one line the run prints, whatever the verdict. */
  line: string;
}

/** The MTA's password, from the settings test/mta/setup.sh writes, when an MTA was started. */
function mtaPassword(root: string): string | undefined {
  const path = join(root, '.mta/settings.json');
  if (!existsSync(path)) return undefined;
  const settings = JSON.parse(readFileSync(path, 'utf8')) as { password?: unknown };
  return typeof settings.password === 'string' ? settings.password : undefined;
}

/** What the check looks for in a project: the shared test secrets, and the MTA's in `mta`. */
export function projectSecrets(projectName: string, root: string): NamedSecret[] {
  const secrets = [
    { name: 'TEST_PASSWORD', value: TEST_PASSWORD },
    { name: 'TEST_TOKEN', value: TEST_TOKEN },
  ];
  const password = projectName === 'mta' ? mtaPassword(root) : undefined;
  if (password !== undefined) secrets.push({ name: 'the MTA password', value: password });
  return secrets;
}

/** Every capture every worker wrote to `dir`, in file order. */
export async function readCaptures(dir: string): Promise<HygieneCapture[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
  const captures: HygieneCapture[] = [];
  for (const name of names) {
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n').filter(Boolean);
    captures.push(...lines.map((line) => JSON.parse(line) as HygieneCapture));
  }
  return captures;
}

/** The forms looked for: secrets.ts's as-is and base64 forms, and the URL-encoded one. */
function formsOf(secret: string): { form: string; value: string }[] {
  const forms = secretVariants(secret);
  const encoded = encodeURIComponent(secret);
  return encoded === secret ? forms : [...forms, { form: 'percent-encoded', value: encoded }];
}

/** "<source> in <file> > <test>", the file relative to `root`. */
export function describeSource(capture: HygieneCapture, root: string): string {
  const file = capture.file === undefined ? undefined : relative(root, capture.file);
  const where = [file, capture.test].filter((part) => part !== undefined && part !== '');
  return where.length === 0 ? capture.source : `${capture.source} in ${where.join(' > ')}`;
}

/** Each secret form found in each capture. */
export function findLeaks(
  captures: readonly HygieneCapture[],
  secrets: readonly NamedSecret[],
  root: string,
): Leak[] {
  const tooShort = secrets.find((secret) => secret.value.length < MIN_SECRET_LENGTH);
  // Base64 forms of a short secret are a character or two, found in any text.
  if (tooShort !== undefined) throw new Error(`${tooShort.name} is too short to look for`);
  const leaks: Leak[] = [];
  for (const capture of captures) {
    for (const secret of secrets) {
      for (const { form, value } of formsOf(secret.value)) {
        const at = capture.text.indexOf(value);
        if (at === -1) continue;
        leaks.push({ secret: secret.name, form, source: describeSource(capture, root), at });
      }
    }
  }
  return leaks;
}

/** Runs the check over `captures` and says what it found in one line. */
export function checkCaptures(
  captures: readonly HygieneCapture[],
  secrets: readonly NamedSecret[],
  root: string,
): CheckResult {
  const leaks = findLeaks(captures, secrets, root);
  const sources = new Set(captures.map((capture) => capture.source)).size;
  const files = new Set(captures.map((capture) => capture.file ?? '')).size;
  const names = secrets.map((secret) => secret.name).join(', ');
  const verdict = leaks.length === 0 ? 'no secret found' : `${leaks.length} LEAKS FOUND`;
  const line =
    `secret hygiene: checked ${captures.length} captures from ${sources} sources in ` +
    `${files} test files for ${names} (as is, base64, percent-encoded): ${verdict}`;
  return { captures: captures.length, sources, files, leaks, line };
}

/** The failure message for `leaks`: names and places only, never a secret. */
export function describeLeaks(leaks: readonly Leak[]): string {
  const lines = leaks.map(
    (leak) => `  ${leak.secret} (${leak.form}) at character ${leak.at} of ${leak.source}`,
  );
  return `secret hygiene: a secret reached what a user sees:\n${lines.join('\n')}`;
}

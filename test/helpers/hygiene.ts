/**
 * Secret hygiene over the whole suite (issue 6, group 7). Every test that captures something a
 * user could see (a log, an error message, a transcript, an output, a summary) hands it to
 * `captureForHygiene`; one check at the end of the run (the project's global setup teardown)
 * reads every capture of every worker and fails the run if the test password, the test token or
 * any base64 form of them appears. Tests that authenticate use these constants, so that check
 * knows what to look for.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { expect, inject } from 'vitest';

/** The password every test that authenticates should use; long enough for `assertNoSecrets`. */
export const TEST_PASSWORD = 'Hygiene-Passw0rd:7f3a9c';
/** The OAuth 2.0 access token every XOAUTH2 test should use. */
export const TEST_TOKEN = 'ya29.hygiene-token-Q8v2Lm4x';
export const TEST_USERNAME = 'ci-bot@example.test';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder where each worker appends its captures (one JSON line each). */
    hygieneDir: string;
  }
}

/** One line of a worker's capture file: what a user saw, and where the suite saw it. */
export interface HygieneCapture {
  source: string;
  text: string;
  /** The test file that captured it, relative to the project root when known. */
  file?: string;
  /** The full name of the test that captured it; absent in hooks. */
  test?: string;
}

/** Records `text`, seen by a user as `source` (e.g. "stderr of a run with transcript"). */
export function captureForHygiene(source: string, text: string): void {
  const dir = inject('hygieneDir') as string | undefined;
  // A capture with nowhere to go would be a check that silently checks nothing.
  if (dir === undefined) {
    throw new Error(
      'captureForHygiene: no hygiene folder; add test/hygiene/global-setup.ts to the globalSetup ' +
        "of this test's vitest project",
    );
  }
  const { testPath, currentTestName } = expect.getState();
  const capture: HygieneCapture = { source, text, file: testPath, test: currentTestName };
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), `${JSON.stringify(capture)}\n`);
}

/**
 * Records everything `error` shows a user as `source`: `String(error)`, and for an Error its
 * message, stack and own fields (reply, command, transcript), and the same of each cause.
 */
export function captureErrorForHygiene(source: string, error: unknown): void {
  const parts = [String(error)];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    parts.push(cause.message, cause.stack ?? '', fieldsOf(cause));
  }
  captureForHygiene(source, parts.join('\n'));
}

/** An error's own fields as JSON; a field JSON cannot hold (a cycle) is described instead. */
function fieldsOf(error: Error): string {
  try {
    return JSON.stringify({ ...error });
  } catch (failure) {
    return `(fields not serialisable: ${String(failure)})`;
  }
}

/**
 * `text` without its `::add-mask::` lines: the runner consumes them and never shows them, and
 * they are the one place a run prints a secret by design. Nothing else is taken out.
 */
export function withoutMaskCommands(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

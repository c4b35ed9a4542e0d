/**
 * Global setup of the unit and mta projects (issue 6, group 7): a fresh folder for the suite's
 * captures (see test/helpers/hygiene.ts), and at the end of the run the check over all of them.
 *
 * Vitest 4 only logs an error thrown by a global teardown ("error during close") and still exits
 * 0, so the teardown sets `process.exitCode` itself before it throws: the process then ends with
 * 1 once vitest has closed. test/hygiene/exit-code.test.ts runs Vitest on a planted leak to prove
 * it, with every Vitest upgrade.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { checkCaptures, describeLeaks, projectSecrets, readCaptures } from './leak-check.js';

/** Text in a test file that shows it captures, by itself or through `runAction`. */
const CAPTURING = /\b(capture\w*ForHygiene|runAction)\(/;

/**
 * The files of this run that should have captured something: they call a capturing helper and
 * had a test pass. A run of other files alone (a single MIME test, say) may capture nothing;
 * so may a run filtered by test name, which can leave only tests that do not capture.
 */
function capturingFiles(project: TestProject): string[] {
  if (project.vitest.config.testNamePattern !== undefined) return [];
  return project.vitest.state
    .getTestModules()
    .filter((module) => module.project.name === project.name)
    .filter((module) => !module.children.allTests('passed').next().done)
    .map((module) => module.moduleId)
    .filter((file) => CAPTURING.test(readFileSync(file, 'utf8')))
    .map((file) => relative(project.config.root, file));
}

/** Checks every capture of the run; throws on a leak, or on a run that should have captured. */
async function checkRun(project: TestProject, dir: string): Promise<void> {
  const root = project.config.root;
  const result = checkCaptures(await readCaptures(dir), projectSecrets(project.name, root), root);
  console.log(`\n${result.line}\n`);
  const failures: string[] = [];
  if (result.leaks.length > 0) failures.push(describeLeaks(result.leaks));
  const expected = capturingFiles(project);
  if (result.captures === 0 && expected.length > 0) {
    failures.push(
      `secret hygiene: nothing was captured, yet ${expected.length} files that capture ran ` +
        `(${expected.slice(0, 3).join(', ')}): the capture pipe is broken`,
    );
  }
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'smtp-notify-hygiene-'));
  project.provide('hygieneDir', dir);
  return async () => {
    try {
      await checkRun(project, dir);
    } catch (error) {
      // Whatever went wrong, a check that could not finish must not let the run pass.
      process.exitCode = 1;
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

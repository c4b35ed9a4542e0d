// The closing check is only worth having if a leak fails `vitest run`: Vitest 4 logs an error
// thrown by a global teardown and still exits 0, so global-setup.ts sets the exit code itself.
// This runs Vitest on a scratch project twice, with and without a planted leak, so that a Vitest
// upgrade that changes how teardown ends cannot quietly turn the check into a log line.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { captureForHygiene, TEST_PASSWORD } from '../helpers/hygiene.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const vitestCli = join(root, 'node_modules/vitest/vitest.mjs');
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

/**
 * A project in a scratch folder (outside the suite's include globs) whose one test captures
 * `text`, or only names the helper when `text` is undefined; `globals` spares it an import of
 * vitest, which would not resolve from there.
 */
async function scratchProject(text: string | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hygiene-exit-'));
  made.push(dir);
  const config = {
    test: {
      include: ['scratch.check.ts'],
      globals: true,
      globalSetup: [join(root, 'test/hygiene/global-setup.ts')],
    },
  };
  await writeFile(join(dir, 'vitest.config.mjs'), `export default ${JSON.stringify(config)};\n`);
  const helper = JSON.stringify(join(root, 'test/helpers/hygiene.ts'));
  const capture =
    text === undefined
      ? 'void captureForHygiene'
      : `captureForHygiene('a scratch log', ${JSON.stringify(text)})`;
  const test = [
    `import { captureForHygiene } from ${helper};`,
    `it('captures', () => { ${capture}; });`,
    '// captureForHygiene( is named here, so the run is one that should capture',
  ].join('\n');
  await writeFile(join(dir, 'scratch.check.ts'), test);
  return dir;
}

/** Runs `vitest run` in `dir`; resolves with its exit code and everything it printed. */
function runVitest(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vitestCli, 'run', '--root', dir], {
      cwd: dir,
      env: { ...process.env, CI: '', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const output = Buffer.concat(chunks).toString('utf8');
      // What the check printed is a log too: it must name a leak without repeating it.
      captureForHygiene('output of a scratch vitest run', output);
      resolve({ code, output });
    });
  });
}

describe('vitest run with the hygiene global setup', () => {
  it('exits 1 on a leak, naming where it was and not what it was', async () => {
    const leak = `AUTH PLAIN ${Buffer.from(`\0u\0${TEST_PASSWORD}`).toString('base64')}`;
    const { code, output } = await runVitest(await scratchProject(leak));
    expect(output).toMatch(/1 passed/);
    expect(output).toMatch(/checked 1 captures from 1 sources .*: 1 LEAKS FOUND/);
    expect(output).toMatch(/TEST_PASSWORD \(base64 at offset 0\) at character 15 of a scratch log/);
    expect(output).not.toContain(leak.slice(11));
    expect(code).toBe(1);
  }, 30_000);

  it('exits 0 on the same run without the leak', async () => {
    const { code, output } = await runVitest(await scratchProject('AUTH PLAIN [redacted]'));
    expect(output).toMatch(/checked 1 captures from 1 sources .*: no secret found/);
    expect(code).toBe(0);
  }, 30_000);

  it('exits 1 when a file that captures ran and nothing was captured (a broken pipe)', async () => {
    const { code, output } = await runVitest(await scratchProject(undefined));
    expect(output).toMatch(/checked 0 captures from 0 sources/);
    expect(output).toMatch(
      /nothing was captured, yet 1 files that capture ran \(scratch\.check\.ts\)/,
    );
    expect(code).toBe(1);
  }, 30_000);
});

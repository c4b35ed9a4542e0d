/**
 * The start-up benchmark's input set, the same for ours and the peer: the inputs of a realistic
 * notification (a Markdown body with template variables), the push event fixture and the
 * GITHUB_* and RUNNER_* variables a hosted runner sets. Written out here rather than taken from
 * test/: the benchmark does not depend on the tests.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from './paths.js';

/** A realistic Markdown body: headings, a list, a table, code and a template variable. */
const BODY = [
  '## Build of {{ github.repository }} passed',
  '',
  'Commit `{{ github.sha }}` on **{{ github.ref_name }}** by @{{ github.actor }}.',
  '',
  '- Unit tests: 412 passed, 0 failed',
  '- Lint: clean',
  '- Bundle: 1.6 MB',
  '',
  '| Job | Result | Time |',
  '| --- | --- | --- |',
  '| build | ✅ | 1m 12s |',
  '| test | ✅ | 3m 40s |',
  '',
  '```sh',
  'npm ci && npm test',
  '```',
  '',
  'See the [run](https://github.com/{{ github.repository }}/actions) for the logs.',
].join('\n');

const INPUTS: Record<string, string> = {
  server: 'smtp.example.com',
  from: 'CI <ci@example.com>',
  to: 'dev@example.com, lead@example.com',
  subject: 'Build of {{ github.repository }} passed',
  body: BODY,
  markdown: 'true',
  mode: 'dry-run',
};

/** The GITHUB_* and RUNNER_* variables a hosted runner sets for a push to main. */
const RUNNER_FACTS: Record<string, string> = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_REPOSITORY_OWNER: 'acme',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_JOB: 'test',
  GITHUB_RUN_ID: '9123456789',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'monalisa',
  GITHUB_TRIGGERING_ACTOR: 'monalisa',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_SHA: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_HEAD_REF: '',
  GITHUB_BASE_REF: '',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  RUNNER_NAME: 'GitHub Actions 12',
  RUNNER_ENVIRONMENT: 'github-hosted',
};

/**
 * A fresh runner layout in `base` for one run (workspace, temp folder, event file, output and
 * summary files) and the environment a hosted runner's step would see, with the inputs.
 * BENCH_PROBE_OUT names the file the probe writes; the probe removes it before the program runs.
 */
export async function prepareRunnerEnv(base: string): Promise<Record<string, string>> {
  const workspace = join(base, 'workspace');
  const runnerTemp = join(base, 'runner-temp');
  await mkdir(workspace, { recursive: true });
  await mkdir(runnerTemp, { recursive: true });
  const eventPath = join(base, 'event.json');
  await copyFile(join(projectRoot, 'test/fixtures/events/push.json'), eventPath);
  const outputPath = join(base, 'github-output');
  const summaryPath = join(base, 'step-summary');
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  const inputs = Object.entries(INPUTS).map(([name, value]): [string, string] => [
    `INPUT_${name.toUpperCase()}`,
    value,
  ]);
  return {
    ...RUNNER_FACTS,
    ...Object.fromEntries(inputs),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: base,
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: runnerTemp,
    BENCH_PROBE_OUT: join(base, 'probe.json'),
  };
}

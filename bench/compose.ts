/**
 * Composition: the same message (text, HTML and a 25 MB attachment) composed by our composer
 * and by nodemailer's MailComposer, same input.
 *
 * - Time: both in this process, alternating after a warm-up each, so both see the same machine.
 * - Peak memory: a heap or RSS reading taken after synchronous work counts garbage and misses
 *   what was already freed, so each composer runs once in a fresh child process and reports how
 *   far the kernel's high-water mark of resident memory (VmHWM) rose above where it stood once
 *   the input existed. The children alternate too. The child is this same bundle, told what to
 *   do by BENCH_COMPOSE_CHILD (bench/index.ts hands it to `runCompositionChild`).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import MailComposer from 'nodemailer/lib/mail-composer';
import { composeMessage } from '../src/mime/index.js';
import { residentHighWaterKib } from './resident-memory.js';
import { formatBytes, formatMedianRange, median, ratio, rotate } from './stats.js';
import type { BenchTable } from './table.js';

const COMPOSERS = ['ours', 'nodemailer'] as const;
type Composer = (typeof COMPOSERS)[number];

/** The variable that makes this bundle a composition child rather than the benchmark. */
const COMPOSE_CHILD_VARIABLE = 'BENCH_COMPOSE_CHILD';

const ATTACHMENT_BYTES = 25 * 1024 * 1024;

interface Input {
  attachment: Uint8Array;
  /** A view of the same bytes, not a copy, so nodemailer is not charged for converting the input. */
  attachmentBuffer: Buffer;
}

const text = 'The build passed.\n'.repeat(200);
const html = '<p>The build <b>passed</b>. Grüße!</p>\n'.repeat(200);
const common = { from: 'CI <ci@example.com>', to: 'dev@example.com', subject: 'Build passed ✓' };

/** Filled in place: a `.map()` copy would raise the memory high-water mark before measuring. */
function createInput(): Input {
  const attachment = new Uint8Array(ATTACHMENT_BYTES);
  for (let i = 0; i < ATTACHMENT_BYTES; i += 1) attachment[i] = (i * 2654435761) >>> 24;
  const attachmentBuffer = Buffer.from(attachment.buffer, attachment.byteOffset, attachment.length);
  return { attachment, attachmentBuffer };
}

/** Composes the whole message into bytes and returns its size. */
async function compose(which: Composer, input: Input): Promise<number> {
  if (which === 'ours') {
    const message = composeMessage({
      ...common,
      text,
      html,
      attachments: [{ filename: 'artifact.bin', content: input.attachment }],
    });
    return message.size;
  }
  const composer = new MailComposer({
    ...common,
    text,
    html,
    attachments: [{ filename: 'artifact.bin', content: input.attachmentBuffer }],
  });
  return (await composer.compile().build()).length;
}

/** Wall time, and CPU time of this process (which composes and does nothing else meanwhile). */
async function timeOnce(which: Composer, input: Input): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await compose(which, input);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** True in a child started by `peakGrowthInChild`. */
export function isCompositionChild(): boolean {
  return process.env[COMPOSE_CHILD_VARIABLE] !== undefined;
}

/** In a child: compose once and print how much the resident high-water mark rose, in MiB. */
export async function runCompositionChild(): Promise<void> {
  const which = process.env[COMPOSE_CHILD_VARIABLE];
  if (which !== 'ours' && which !== 'nodemailer') throw new Error(`unknown composer ${which}`);
  const input = createInput();
  const before = residentHighWaterKib();
  await compose(which, input);
  process.stdout.write(`${(residentHighWaterKib() - before) / 1024}\n`);
}

function peakGrowthInChild(which: Composer): number {
  const bundle = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, [bundle], {
    env: { ...process.env, [COMPOSE_CHILD_VARIABLE]: which },
    encoding: 'utf8',
  });
  return Number(output.trim());
}

type Samples = Record<Composer, number[]>;

function summarize(
  times: Samples,
  cpus: Samples,
  peaks: Samples,
  sizes: Record<Composer, number>,
  runs: number,
): BenchTable {
  const row = (which: Composer, label: string) => [
    label,
    formatMedianRange(times[which], 0),
    formatMedianRange(cpus[which], 0),
    formatMedianRange(peaks[which], 1),
    formatBytes(sizes[which]),
  ];
  return {
    title: 'Composition: text + HTML + a 25 MB attachment',
    columns: ['Composer', 'Wall ms', 'CPU ms', 'Peak memory growth MiB', 'Message size'],
    rows: [
      row('ours', 'smtp-notify composeMessage'),
      row('nodemailer', 'nodemailer MailComposer'),
      [
        'ratio ours/nodemailer',
        ratio(median(times.ours), median(times.nodemailer)),
        ratio(median(cpus.ours), median(cpus.nodemailer)),
        ratio(median(peaks.ours), median(peaks.nodemailer)),
        '',
      ],
    ],
    notes: [
      `Median (min–max) of ${runs} runs each after one warm-up, alternating (who goes first swaps each run), on ${process.version}.`,
      'Wall and CPU time (user+system, all threads, so garbage collection counts): both composers in this process, from the input to the whole message as bytes.',
      'Memory: each run composes once in a fresh child process; the figure is how far VmHWM rose above its level once the input existed (so the 25 MiB input is not counted).',
      'Same input for both: the attachment is one buffer, handed to nodemailer as a Buffer view of the same bytes.',
    ],
  };
}

/** Times both composers in this process and measures their peak memory in children. */
export async function runComposition(options: { runs: number }): Promise<BenchTable> {
  const input = createInput();
  const times: Samples = { ours: [], nodemailer: [] };
  const cpus: Samples = { ours: [], nodemailer: [] };
  const peaks: Samples = { ours: [], nodemailer: [] };
  // The first composition of each is the warm-up, and gives the message size.
  const sizes = {
    ours: await compose('ours', input),
    nodemailer: await compose('nodemailer', input),
  };
  for (let run = 0; run < options.runs; run += 1) {
    for (const which of rotate(COMPOSERS, run)) {
      const { wallMs, cpuMs } = await timeOnce(which, input);
      times[which].push(wallMs);
      cpus[which].push(cpuMs);
      peaks[which].push(peakGrowthInChild(which));
    }
  }
  return summarize(times, cpus, peaks, sizes, options.runs);
}

/**
 * Benchmark, not a test: composes the same message (text, HTML and a 25 MB attachment) with our
 * composer and with nodemailer's MailComposer and prints medians and the ratios
 * ours/nodemailer.
 *
 * - Time: both in this process, alternating after a warm-up each, so both see the same machine.
 * - Peak memory: a heap or RSS reading taken after synchronous work counts garbage and misses
 *   what was already freed, so each composer runs once in a fresh child process and reports how
 *   far the kernel's high-water mark of resident memory (VmHWM) rose above where it stood once
 *   the input existed. The children alternate too.
 *
 * Run: npm run bench:compose -- [runs]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import MailComposer from 'nodemailer/lib/mail-composer';
import { composeMessage } from '../src/mime/index.js';

type Composer = 'ours' | 'nodemailer';

const ATTACHMENT_BYTES = 25 * 1024 * 1024;
const text = 'The build passed.\n'.repeat(200);
const html = '<p>The build <b>passed</b>. Grüße!</p>\n'.repeat(200);
const attachment = createAttachment(ATTACHMENT_BYTES);
// A view, not a copy, so nodemailer is not charged for converting the input.
const attachmentBuffer = Buffer.from(attachment.buffer, attachment.byteOffset, attachment.length);
const common = { from: 'CI <ci@example.com>', to: 'dev@example.com', subject: 'Build passed ✓' };

/** Filled in place: a `.map()` copy would raise the memory high-water mark before measuring. */
function createAttachment(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 2654435761) >>> 24;
  return bytes;
}

async function compose(which: Composer): Promise<number> {
  if (which === 'ours') {
    const message = composeMessage({
      ...common,
      text,
      html,
      attachments: [{ filename: 'artifact.bin', content: attachment }],
    });
    return message.size;
  }
  const composer = new MailComposer({
    ...common,
    text,
    html,
    attachments: [{ filename: 'artifact.bin', content: attachmentBuffer }],
  });
  return (await composer.compile().build()).length;
}

async function timeOnce(which: Composer): Promise<number> {
  const started = performance.now();
  await compose(which);
  return performance.now() - started;
}

/**
 * The peak resident memory of this process in KiB (Linux `VmHWM`). Not `resourceUsage().maxRSS`:
 * Linux carries that over from the parent across exec, so a child would start at its parent's.
 */
function residentHighWaterKib(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error('no VmHWM in /proc/self/status (Linux only)');
  return Number(match[1]);
}

/** In a child: compose once and print how much the resident high-water mark rose, in MB. */
async function reportPeakGrowth(which: Composer): Promise<void> {
  const before = residentHighWaterKib();
  await compose(which);
  process.stdout.write(`${(residentHighWaterKib() - before) / 1024}\n`);
}

function peakGrowthInChild(which: Composer): number {
  const bundle = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, [bundle], {
    env: { ...process.env, BENCH_COMPOSE_CHILD: which },
    encoding: 'utf8',
  });
  return Number(output.trim());
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function main(runs: number): Promise<void> {
  const times: Record<Composer, number[]> = { ours: [], nodemailer: [] };
  const peaks: Record<Composer, number[]> = { ours: [], nodemailer: [] };
  const sizes = { ours: await compose('ours'), nodemailer: await compose('nodemailer') };
  for (let run = 0; run < runs; run += 1) {
    for (const which of ['ours', 'nodemailer'] as const) {
      times[which].push(await timeOnce(which));
      peaks[which].push(peakGrowthInChild(which));
    }
  }
  const row = (which: Composer) =>
    `${which.padEnd(11)} ${median(times[which]).toFixed(1).padStart(8)} ${median(peaks[which]).toFixed(1).padStart(14)}   ${sizes[which]}`;
  const ratio = (pick: Record<Composer, number[]>) =>
    (median(pick.ours) / median(pick.nodemailer)).toFixed(2);
  console.log(`composition of text + HTML + a 25 MB attachment, ${runs} runs each, medians`);
  console.log('composer     time ms   peak RSS +MB   message bytes');
  console.log(row('ours'));
  console.log(row('nodemailer'));
  console.log(`ratio ours/nodemailer: time ${ratio(times)}, peak memory ${ratio(peaks)}`);
  console.log(`node ${process.version} on ${process.platform}/${process.arch}`);
}

const child = process.env.BENCH_COMPOSE_CHILD;
if (child === 'ours' || child === 'nodemailer') await reportPeakGrowth(child);
else await main(Number(process.argv[2] ?? 5));

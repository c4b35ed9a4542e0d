/**
 * Benchmark, not a test: composes the same message (text, HTML and a 25 MB attachment) with our
 * composer and with nodemailer's MailComposer, alternating in one process, and prints the median
 * time, peak memory growth and the ratios ours/nodemailer.
 *
 * Run: npm run bench:compose -- [runs]
 */

import MailComposer from 'nodemailer/lib/mail-composer';
import { composeMessage } from '../src/mime/index.js';

const ATTACHMENT_BYTES = 25 * 1024 * 1024;
const runs = Number(process.argv[2] ?? 5);

interface Sample {
  ms: number;
  rssMb: number;
  externalMb: number;
  size: number;
}

const text = 'The build passed.\n'.repeat(200);
const html = '<p>The build <b>passed</b>. Grüße!</p>\n'.repeat(200);
const attachment = new Uint8Array(ATTACHMENT_BYTES).map((_, i) => (i * 2654435761) >>> 24);
// A view, not a copy, so nodemailer is not charged for converting the input.
const attachmentBuffer = Buffer.from(attachment.buffer, attachment.byteOffset, attachment.length);

function composeOurs(): number {
  const message = composeMessage({
    from: 'CI <ci@example.com>',
    to: 'dev@example.com',
    subject: 'Build passed ✓',
    text,
    html,
    attachments: [{ filename: 'artifact.bin', content: attachment }],
  });
  return message.size;
}

async function composeNodemailer(): Promise<number> {
  const composer = new MailComposer({
    from: 'CI <ci@example.com>',
    to: 'dev@example.com',
    subject: 'Build passed ✓',
    text,
    html,
    attachments: [{ filename: 'artifact.bin', content: attachmentBuffer }],
  });
  const built = await composer.compile().build();
  return built.length;
}

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Runs `work` once and reports peak growth of RSS and of external + ArrayBuffer memory. Samples
 * are taken every millisecond while asynchronous work runs and once more at the end, before any
 * collection: synchronous work cannot be sampled, but nothing it allocated has been freed by
 * then, so its end reading is an upper bound. RSS deltas are noisy (freed pages are not always
 * returned to the system); the external figure is the steadier one.
 */
async function measure(work: () => number | Promise<number>): Promise<Sample> {
  collect();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakExternal = before.external + before.arrayBuffers;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakExternal = Math.max(peakExternal, now.external + now.arrayBuffers);
  };
  const timer = setInterval(sample, 1);
  const started = performance.now();
  const size = await work();
  const ms = performance.now() - started;
  sample();
  clearInterval(timer);
  const mb = (bytes: number) => bytes / (1024 * 1024);
  return {
    ms,
    rssMb: mb(peakRss - before.rss),
    externalMb: mb(peakExternal - before.external - before.arrayBuffers),
    size,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function summarise(samples: Sample[]) {
  return {
    ms: median(samples.map((s) => s.ms)),
    rssMb: median(samples.map((s) => s.rssMb)),
    externalMb: median(samples.map((s) => s.externalMb)),
    size: samples[0]?.size ?? 0,
  };
}

async function main(): Promise<void> {
  if (!('gc' in globalThis)) console.warn('run with --expose-gc for steadier memory figures');
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  // One warm-up each, then alternate so both see the same heap and JIT state.
  await measure(composeOurs);
  await measure(composeNodemailer);
  for (let i = 0; i < runs; i += 1) {
    ours.push(await measure(composeOurs));
    theirs.push(await measure(composeNodemailer));
  }
  const a = summarise(ours);
  const b = summarise(theirs);
  const fmt = (n: number) => n.toFixed(1).padStart(8);
  console.log(`runs: ${runs}, attachment: ${ATTACHMENT_BYTES / 1024 / 1024} MB (median of each)`);
  console.log('              time ms   peak RSS MB   peak external MB   message bytes');
  console.log(
    `ours        ${fmt(a.ms)}      ${fmt(a.rssMb)}          ${fmt(a.externalMb)}   ${a.size}`,
  );
  console.log(
    `nodemailer  ${fmt(b.ms)}      ${fmt(b.rssMb)}          ${fmt(b.externalMb)}   ${b.size}`,
  );
  const ratio = (x: number, y: number) => (y === 0 ? 'n/a' : (x / y).toFixed(2));
  console.log(
    `ratio ours/nodemailer: time ${ratio(a.ms, b.ms)}, RSS ${ratio(a.rssMb, b.rssMb)}, ` +
      `external ${ratio(a.externalMb, b.externalMb)}`,
  );
}

await main();

// Load (issue 6, group 8): 200 runs of the built action, 4 at a time, against the real
// smtp-server in process, and 200 sends of the client itself, 8 at a time. Every message
// arrives exactly once, every run exits 0 right after its last line, and the client's memory
// and handles come back to where they were.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMessage } from '../../src/mime/index.js';
import { sendMail } from '../../src/smtp/index.js';
import { cleanupActionRuns, runAction } from '../helpers/action-run.js';
import { captureForHygiene, TEST_PASSWORD, TEST_USERNAME } from '../helpers/hygiene.js';
import type { RunningServer } from '../helpers/smtp-server.js';
import { testTls } from '../helpers/tls-fixtures.js';
import { mapWithConcurrency } from './bounded-concurrency.js';
import { startLoadServer, takeReceived } from './load-server.js';

const RUNS = 200;
const probe = fileURLToPath(new URL('./exit-probe.mjs', import.meta.url));
/**
 * A hang check, not a benchmark: a run that finished its work exits in milliseconds; a leaked
 * socket or timer keeps it alive until that handle closes (the client's timeouts are seconds).
 */
const QUIET_BEFORE_EXIT_MS = 5_000;

let server: RunningServer;
let probeDir: string;

beforeAll(async () => {
  server = await startLoadServer();
  probeDir = await mkdtemp(join(tmpdir(), 'smtp-notify-load-'));
});

afterAll(async () => {
  await server.close();
  await cleanupActionRuns();
  await rm(probeDir, { recursive: true, force: true });
});

interface ProbedRun {
  exitCode: number | null;
  result: string | undefined;
  messageId: string;
  /** From the exit probe: the process's exit code and its time alive after its last output. */
  probe: { code: number; quietMs: number };
}

async function runProbed(index: number): Promise<ProbedRun> {
  const probeFile = join(probeDir, `${index}.json`);
  const run = await runAction({
    inputs: {
      server: '127.0.0.1',
      port: String(server.port),
      tls: 'starttls',
      'tls-ca': testTls.ca,
      'tls-servername': 'localhost',
      username: TEST_USERNAME,
      password: TEST_PASSWORD,
      from: `CI <${TEST_USERNAME}>`,
      to: 'dev@example.test',
      subject: `load run ${index}`,
      body: `Run ${index} of ${RUNS}.`,
    },
    env: { NODE_OPTIONS: `--import=${probe}`, EXIT_PROBE_FILE: probeFile },
  });
  return {
    exitCode: run.exitCode,
    result: run.outputs.result,
    messageId: run.outputs['message-id'] ?? '',
    probe: JSON.parse(await readFile(probeFile, 'utf8')) as ProbedRun['probe'],
  };
}

describe('load against the in-process server', () => {
  it(`${RUNS} action runs, 4 at a time: each message once, each run exits 0 promptly`, async () => {
    const runs = await mapWithConcurrency(
      Array.from({ length: RUNS }, (_, index) => index),
      4,
      runProbed,
    );
    const counts = new Map<string, number>();
    expect(takeReceived(server, counts)).toBe(RUNS);

    expect(runs.filter((run) => run.exitCode !== 0 || run.result !== 'sent')).toEqual([]);
    expect(runs.filter((run) => run.probe.code !== 0)).toEqual([]);
    const ids = runs.map((run) => run.messageId);
    expect(new Set(ids).size).toBe(RUNS);
    // Delivered exactly once each: every run's Message-ID once at the server, and nothing else.
    expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    const slowest = Math.max(...runs.map((run) => run.probe.quietMs));
    expect(slowest, 'ms alive after the last output').toBeLessThan(QUIET_BEFORE_EXIT_MS);
  }, 300_000);
});

/** V8's full collection, reachable from a vitest worker without `--expose-gc` on its command line. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Memory in use after two full collections (the second frees what finalisers of the first let
 * go): the JS heap plus memory outside it that JS objects hold, where the bytes of every
 * Uint8Array and Buffer live (`heapUsed` alone would not see a message kept by mistake).
 */
function memoryAfterGc(gc: () => void): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Handles that keep a process alive or fire later: sockets, TLS sessions, timers. */
function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) {
    if (/^(TCPSocketWrap|TLSWrap|Timeout|Immediate)$/.test(name))
      counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** The kinds of handle of which `now` has more than `baseline`, with both counts. */
function moreThan(now: Record<string, number>, baseline: Record<string, number>) {
  const extra: Record<string, string> = {};
  for (const [name, count] of Object.entries(now)) {
    const was = baseline[name] ?? 0;
    if (count > was) extra[name] = `${count}, was ${was}`;
  }
  return extra;
}

/** 64 KiB of attachment, so that a message kept alive by mistake shows in the heap. */
const attachment = randomBytes(64 * 1024);

async function sendOne(index: number): Promise<string> {
  const composed = composeMessage({
    from: `CI <${TEST_USERNAME}>`,
    to: 'dev@example.test',
    subject: `in-process send ${index}`,
    text: `Send ${index}.`,
    attachments: [{ filename: 'load.bin', content: attachment }],
  });
  try {
    await sendMail({
      host: '127.0.0.1',
      port: server.port,
      tls: 'starttls',
      tlsOptions: { ca: testTls.ca, servername: 'localhost' },
      auth: { username: TEST_USERNAME, password: TEST_PASSWORD, mechanism: 'auto' },
      envelope: composed.envelope,
      message: composed.bytes,
    });
  } catch (error) {
    captureForHygiene(
      'load: in-process send error',
      `${String(error)}\n${(error as Error).message}`,
    );
    throw error;
  }
  return composed.messageId;
}

/**
 * Polls until `check` passes, for handles a closed socket releases a few loop turns later. Not
 * `vi.waitFor`: its own timeout and interval timers are live while it checks, and would count.
 */
async function eventually(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('memory and handles of the client in process', () => {
  it(`${RUNS} sends, 8 at a time: heap flat after GC, no socket or timer left`, async () => {
    const gc = exposeGc();
    const before = liveHandles();
    const counts = new Map<string, number>();
    const ids: string[] = [];
    const heaps: number[] = [];
    for (let batch = 0; batch < RUNS / 50; batch += 1) {
      const indexes = Array.from({ length: 50 }, (_, index) => batch * 50 + index);
      ids.push(...(await mapWithConcurrency(indexes, 8, sendOne)));
      // The server runs in this process too: what it received is counted and let go.
      takeReceived(server, counts);
      heaps.push(memoryAfterGc(gc));
    }
    expect(counts.size).toBe(RUNS);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    // Flat: the heap after the last 50 is within 4 MiB of the heap after the first 50. A send
    // that kept its message (over 85 KiB each) or its socket would add more than 12 MiB.
    const growth = (heaps.at(-1) ?? 0) - (heaps[0] ?? 0);
    expect(growth, `heap after each 50: ${heaps.join(', ')}`).toBeLessThan(4 * 1024 * 1024);
    // Back to the baseline: no more sockets, TLS sessions or timers than before the sends (the
    // test runner's own timers may have ended meanwhile, so fewer is fine).
    await eventually(() => expect(moreThan(liveHandles(), before)).toEqual({}));
  }, 120_000);
});

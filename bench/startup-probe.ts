/**
 * Preloaded with `--import` into each start-up child, ours and the peer alike: on exit it writes
 * the process's CPU time and peak resident memory to the file named in BENCH_PROBE_OUT, so both
 * are measured from inside without changing either program. It removes that variable first, so
 * the program sees the environment it would see on a runner.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.BENCH_PROBE_OUT;
delete process.env.BENCH_PROBE_OUT;

/** Peak resident memory in KiB (Linux VmHWM); not maxRSS, which a child inherits across exec. */
function residentHighWaterKib(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}

if (target !== undefined && target !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const report = {
      cpuMicros: usage.userCPUTime + usage.systemCPUTime,
      peakKib: residentHighWaterKib(),
    };
    writeFileSync(target, JSON.stringify(report));
  });
}

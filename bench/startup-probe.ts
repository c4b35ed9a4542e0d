/**
 * Preloaded with `--import` into each start-up child, ours and the peer alike: on exit it writes
 * the process's CPU time and peak resident memory to the file named in BENCH_PROBE_OUT, so both
 * are measured from inside without changing either program. It removes that variable first, so
 * the program sees the environment it would see on a runner.
 */
import { writeFileSync } from 'node:fs';
import { residentHighWaterKib } from './resident-memory.js';

const target = process.env.BENCH_PROBE_OUT;
delete process.env.BENCH_PROBE_OUT;

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

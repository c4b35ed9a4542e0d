/**
 * The machine a run was measured on. Absolute times mean nothing without it (issue 5: "absolute
 * times only with the machine described"); the ratios are what carries over to other machines.
 */
import { execFileSync } from 'node:child_process';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { runnerNode } from './paths.js';
import type { BenchTable } from './table.js';

function versionOf(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

/** CPU model and count, memory, kernel, and the two Nodes: the runner's and the bench's own. */
export function describeMachine(): BenchTable {
  const processors = cpus();
  const models = [...new Set(processors.map((cpu) => cpu.model.trim()))].join(', ');
  const memoryGib = (totalmem() / 1024 ** 3).toFixed(1);
  return {
    title: 'Machine',
    columns: ['Property', 'Value'],
    rows: [
      ['CPU', `${models} × ${processors.length}`],
      ['Memory', `${memoryGib} GiB`],
      ['Kernel', `${platform()} ${release()} (${arch()})`],
      ['Node of the action runs (runner Node 24)', versionOf(runnerNode)],
      ['Node running the bench', process.version],
      // A busy machine widens the ranges; the reader should know whether it was idle.
      [
        'Load average at the start (1, 5, 15 min)',
        loadavg()
          .map((load) => load.toFixed(2))
          .join(', '),
      ],
    ],
  };
}

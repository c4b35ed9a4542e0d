import { readFileSync } from 'node:fs';

/**
 * The peak resident memory of this process in KiB (Linux `VmHWM`). Not `resourceUsage().maxRSS`:
 * Linux carries that over from the parent across exec, so a child would start at its parent's.
 */
export function residentHighWaterKib(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (match?.[1] === undefined) throw new Error('no VmHWM in /proc/self/status (Linux only)');
  return Number(match[1]);
}

import { expect } from 'vitest';

/**
 * Workflow commands the action itself writes. Any other line starting with `::` (after leading
 * whitespace, which the runner skips) would be text from outside taken as a command.
 */
const OWN_COMMANDS = /^::(add-mask|group|endgroup|stop-commands|error|warning|notice|debug)(::| )/;
/** The line that resumes commands after `::stop-commands::<token>`: the token alone. */
const RESUME = /^::[0-9a-f-]{36}::$/;

/**
 * The runner's older command form, `##[name k=v;]data`, which it finds ANYWHERE in a line
 * (actions/runner, ActionCommand.TryParse) and which still sets outputs and masks. The action
 * never writes one itself, so every occurrence is text from outside.
 */
const LEGACY_COMMAND = '##[';

/** Fails if stdout holds a workflow command the action did not mean to write. */
export function expectNoInjectedCommands(stdout: string): void {
  const lines = stdout.split(/\r?\n/);
  const foreign = lines
    .map((line) => line.trimStart())
    .filter((line) => line.startsWith('::') && !OWN_COMMANDS.test(line) && !RESUME.test(line));
  expect(foreign).toEqual([]);
  expect(lines.filter((line) => line.includes(LEGACY_COMMAND))).toEqual([]);
}

/**
 * What a person sees in the log: the runner consumes `::add-mask::` lines and never shows them,
 * so leak checks look at the rest. Masks must come before everything else the action prints.
 */
export function visibleLog(stdout: string): string {
  const lines = stdout.split(/\r?\n/);
  const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
  const lateMask = lines.findIndex((line, i) => i > firstOther && line.startsWith('::add-mask::'));
  expect(lateMask, 'every ::add-mask:: comes before any other output').toBe(-1);
  return lines.filter((line) => !line.startsWith('::add-mask::')).join('\n');
}

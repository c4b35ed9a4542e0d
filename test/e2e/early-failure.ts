import { expect } from 'vitest';
import type { ActionRun } from '../helpers/action-run.js';

/**
 * A run that failed the step on what it was given, before it opened any connection: exit code
 * 1, stdout matching `error` (the annotation that says what to change), result `failed`, and
 * not one connection accepted by `server`.
 */
export function expectFailedBeforeConnecting(
  run: ActionRun,
  server: { connections: number },
  error: RegExp,
): void {
  expect(run.exitCode, run.stdout).toBe(1);
  expect(run.stdout).toMatch(error);
  expect(run.outputs.result).toBe('failed');
  expect(server.connections).toBe(0);
}

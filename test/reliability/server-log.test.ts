// Issue 6, part 1, end to end: what a user sees in the log when the fault server misbehaves,
// through the bundle (dist/index.js) run as the runner runs it. A reply line shaped like a
// workflow command reaches the log inert, and a server that echoes the AUTH line back does not
// reveal the password, even with transcript: true.
// Overlap: test/e2e/log-safety.test.ts shows the `##[` form disarmed in a refusal quoted by the
// real smtp-server, and e2e/secrets.test.ts a 535 from it; neither server can put `::` at the
// start of a reply line's text or echo the AUTH blob, which the fault server does here.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupActionRuns, runAction, type ActionRun } from '../helpers/action-run.js';
import { serverInputs } from '../helpers/action-server.js';
import type { FaultAction, FaultPlace } from '../helpers/fault-server.js';
import { TEST_PASSWORD, TEST_USERNAME, captureForHygiene } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { expectNoInjectedCommands, visibleLog } from '../e2e/log-lines.js';
import { faultServer } from './server-fixtures.js';

afterAll(cleanupActionRuns);

/** The inputs of a workflow step that sends through `port` with STARTTLS and AUTH. */
function inputs(port: number): Record<string, string> {
  return {
    ...serverInputs({ port }),
    // The fault server knows only the suite's user (its password is serverInputs' already).
    username: TEST_USERNAME,
    subject: 'fault suite',
    body: 'b',
    transcript: 'true',
    retries: '0',
  };
}

/** Runs the bundle against a fault server with one fault; everything readable, captured. */
async function runWith(
  at: FaultPlace,
  action: FaultAction,
): Promise<{ run: ActionRun; log: string }> {
  const server = await faultServer({ faults: [{ at, action }] });
  const run = await runAction({ inputs: inputs(server.port) });
  const log = [visibleLog(run.stdout), run.stderr, run.outputsFile, run.summary].join('\n');
  captureForHygiene(`runAction with ${at} fault: log, outputs, summary`, log);
  return { run, log };
}

describe('a reply line shaped like a workflow command (CVE-2020-15228)', () => {
  it('in a refusal of the message reaches the log as text, never as a command', async () => {
    const refusal = { reply: ['554-5.7.1 ::add-mask::hide-me-9c1', '554 ::error::pwned'] };
    const { run } = await runWith('dot', refusal);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    // The server's words are in the log (the test would see them), inside other lines.
    expect(run.stdout).toContain('::add-mask::hide-me-9c1');
    expect(run.stdout).toContain('::error::pwned');
    expectNoInjectedCommands(run.stdout);
    expect(run.stdout.split('\n')).not.toContain('::add-mask::hide-me-9c1');
    // Not registered as a mask: the runner shows it as it is.
    expect(run.shown.stdout).toContain('hide-me-9c1');
  });

  it('in the 250 to the final dot of a sent message, likewise', async () => {
    const accepted = { reply: ['250 2.0.0 ::error::pwned ::add-mask::queued-7'] };
    const { run } = await runWith('dot', accepted);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('sent');
    expect(run.stdout).toContain('::error::pwned');
    expectNoInjectedCommands(run.stdout);
    expect(run.shown.stdout).toContain('queued-7');
  });
});

describe('a server that echoes the AUTH line back in its error', () => {
  it('does not make the password readable in the log, with transcript: true', async () => {
    const { run, log } = await runWith('AUTH', { echo: 535 });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    // The echo is in the log, redacted, and the transcript was printed.
    expect(run.stdout).toMatch(/535 5\.7\.0 Rejected: AUTH PLAIN/);
    expect(run.stdout).toContain('::group::SMTP transcript');
    assertNoSecrets(log, [TEST_PASSWORD]);
    assertNoSecrets(run.shown.stdout + run.shown.stderr, [TEST_PASSWORD]);
  });
});

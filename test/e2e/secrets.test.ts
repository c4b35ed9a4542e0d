// No secret, and no base64 form AUTH sends of it, may reach anything a person or a later step
// can read: the visible log, stderr, the outputs file, the job summary. Checked in the runs
// that print the most: `transcript: true`, and a failed AUTH (transcript printed by default).
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { connectionUrlInputs, mailPassword, serverInputs } from '../helpers/action-server.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { visibleLog } from './log-lines.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

/** Everything the run left readable, with the runner's own ::add-mask:: lines taken out. */
function readable(run: ActionRun): string {
  return [visibleLog(run.stdout), run.stderr, run.outputsFile, run.summary].join('\n');
}

/** The secret must have been registered for masking, as it is and in its base64 forms. */
function expectMasked(run: ActionRun, secret: string): void {
  const masks = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
  expect(masks).toContain(`::add-mask::${secret}`);
  expect(masks.length).toBeGreaterThan(1);
}

describe('secrets in everything a run leaves behind', () => {
  it.each(['plain', 'login'])(
    'are absent from a successful run with transcript: true (auth %s)',
    async (auth) => {
      const server = await startServer();
      const run = await runAction({
        inputs: { ...serverInputs(server), transcript: 'true', auth, subject: 'x', body: 'y' },
      });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.stdout).toContain(`C: AUTH ${auth.toUpperCase()}`);
      // The test would see a leak: the transcript is really there.
      expect(run.stdout).toContain('::group::SMTP transcript');
      expectMasked(run, mailPassword);
      assertNoSecrets(readable(run), [mailPassword]);
    },
  );

  it.each(['plain', 'login'])('are absent from a run whose AUTH %s fails', async (auth) => {
    const server = await startServer();
    const wrong = 'Wr0ng-but-still-s3cret';
    const run = await runAction({
      inputs: { ...serverInputs(server), password: wrong, auth, subject: 'x', body: 'y' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(run.stdout).toContain('535 Authentication credentials invalid');
    expect(run.stdout).toContain('::group::SMTP transcript');
    expectMasked(run, wrong);
    // The oracle finds the secret where it is: in the mask lines only the runner reads.
    expect(() => assertNoSecrets(run.stdout, [wrong])).toThrow(/secret #0/);
    assertNoSecrets(readable(run), [wrong]);
    expect(server.received).toHaveLength(0);
  });

  it('are absent when the password comes percent-encoded in connection-url', async () => {
    const server = await startServer();
    const wrong = 'p@ss/w:rd%-Wr0ng!';
    const inputs = connectionUrlInputs(server, wrong);
    const url = inputs['connection-url'] ?? '';
    const run = await runAction({
      inputs: { ...inputs, transcript: 'true', subject: 'x', body: 'y' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('535 Authentication credentials invalid');
    assertNoSecrets(readable(run), [wrong, encodeURIComponent(wrong), url]);
  });
});

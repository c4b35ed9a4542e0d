// No secret, and no base64 form AUTH sends of it, may reach anything a person or a later step
// can read: the visible log, stderr, the outputs file, the job summary. Checked in the runs
// that print the most: `transcript: true`, and a failed AUTH (transcript printed by default).
// Every password here is or holds the suite's TEST_PASSWORD, so the closing hygiene check
// (test/hygiene) looks for it too in everything these runs printed.
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { connectionUrlInputs, serverInputs } from '../helpers/action-server.js';
import { TEST_PASSWORD, TEST_USERNAME } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { visibleLog } from './log-lines.js';
import { useActionServers } from './per-test-server.js';

const startActionServer = useActionServers();

/** The e2e server, accepting the suite's shared test credentials instead of its own. */
function startServer() {
  return startActionServer({
    onAuth(auth, _session, callback) {
      if (auth.username === TEST_USERNAME && auth.password === TEST_PASSWORD) {
        callback(null, { user: auth.username });
        return;
      }
      callback(
        Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }),
      );
    },
  });
}

/** The inputs that reach `server` as TEST_USERNAME with `password`. */
function inputsWith(server: { port: number }, password: string): Record<string, string> {
  return { ...serverInputs(server), username: TEST_USERNAME, password };
}

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
        inputs: {
          ...inputsWith(server, TEST_PASSWORD),
          transcript: 'true',
          auth,
          subject: 'x',
          body: 'y',
        },
      });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(server.received).toHaveLength(1);
      expect(run.stdout).toContain(`C: AUTH ${auth.toUpperCase()}`);
      // The test would see a leak: the transcript is really there.
      expect(run.stdout).toContain('::group::SMTP transcript');
      expectMasked(run, TEST_PASSWORD);
      assertNoSecrets(readable(run), [TEST_PASSWORD]);
    },
  );

  it.each(['plain', 'login'])('are absent from a run whose AUTH %s fails', async (auth) => {
    const server = await startServer();
    const wrong = `Wr0ng-${TEST_PASSWORD}`;
    const run = await runAction({
      inputs: { ...inputsWith(server, wrong), auth, subject: 'x', body: 'y' },
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
    const wrong = `p@ss/w:rd%-${TEST_PASSWORD}`;
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

// The built action (dist/index.js) as the runner runs it, against Postfix: the default run
// report over STARTTLS and AUTH on the submission port, delivered to the Maildir. runAction hands
// each run's stdout (less its ::add-mask:: lines), stderr, outputs and summary to the closing
// hygiene check of the mta project (test/hygiene), which looks for the MTA's password and
// TEST_PASSWORD in them.
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupActionRuns, runAction, type ActionRun } from '../helpers/action-run.js';
import { TEST_PASSWORD, withoutMaskCommands } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { splitDelivered, waitForDelivery } from './maildir.js';
import { mta, requireMta } from './mta-settings.js';
import { submissionInputs } from './submission-inputs.js';

afterAll(cleanupActionRuns);

/** Everything a run left readable: the log without the mask lines the runner consumes, etc. */
function readable(run: ActionRun): string {
  return [withoutMaskCommands(run.stdout), run.stderr, run.outputsFile, run.summary].join('\n');
}

/** A run of the default report over the submission port, authenticating with `password`. */
function reportInputs(password: string): Record<string, string> {
  return {
    ...submissionInputs('ci.smtp-notify.test'),
    password,
    status: 'success',
    transcript: 'true',
  };
}

describe.skipIf(mta === undefined)('the action against Postfix', () => {
  it('delivers the default run report over STARTTLS + AUTH to the Maildir', async () => {
    const { password, maildir } = requireMta();
    const run = await runAction({ event: 'push', inputs: reportInputs(password) });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('sent');
    // Postfix answers the final dot with its queue id.
    expect(run.outputs.response).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-Za-z]+/);

    const messageId = run.outputs['message-id'] ?? '';
    const token = messageId.slice(1, messageId.indexOf('@'));
    expect(token).toMatch(/^[0-9a-f]{16,}$/);
    const delivered = splitDelivered(await waitForDelivery(maildir, 'inbox', token));
    expect(delivered.prepended).toContain('Delivered-To: inbox@smtp-notify.test');
    const mail = await simpleParser(Buffer.from(delivered.rest, 'latin1'));
    expect(mail.messageId).toBe(messageId);
    expect(mail.subject).toBe('✅ acme/widgets: CI passed on main (#42)');
    expect(mail.text).toContain('Parse retry-after headers in the HTTP client');
    expect(mail.html).toContain('href="https://github.com/acme/widgets/actions/runs/9123456789"');

    expect(run.summary).toContain(run.outputs.response);
    expect(run.stdout).toMatch(/S: 250[- ]AUTH /);
    assertNoSecrets(readable(run), [password]);
  });

  it('fails on a wrong password with a 535 in its log, and no password in anything it left', async () => {
    const { password } = requireMta();
    const run = await runAction({ event: 'push', inputs: reportInputs(TEST_PASSWORD) });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.outputs.result).toBe('failed');
    // The transcript is there (and printed on failure), so a leak in it would be seen.
    expect(run.stdout).toMatch(/S: 535 5\.7\.8 /);
    expect(run.stdout).toMatch(/C: AUTH /);
    assertNoSecrets(readable(run), [TEST_PASSWORD, password]);
  });
});

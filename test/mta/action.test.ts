// The built action (dist/index.js) as the runner runs it, against Postfix: the default run
// report over STARTTLS and AUTH on the submission port, delivered to the Maildir.
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupActionRuns, runAction } from '../helpers/action-run.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { splitDelivered, waitForDelivery } from './maildir.js';
import { mta, requireMta } from './mta-settings.js';

afterAll(cleanupActionRuns);

describe.skipIf(mta === undefined)('the action against Postfix', () => {
  it('delivers the default run report over STARTTLS + AUTH to the Maildir', async () => {
    const { host, ports, user, password, ca, maildir } = requireMta();
    const run = await runAction({
      event: 'push',
      inputs: {
        server: host,
        port: String(ports.submission),
        tls: 'starttls',
        'tls-ca': ca,
        'tls-servername': 'mail.smtp-notify.test',
        username: user,
        password,
        'ehlo-name': 'ci.smtp-notify.test',
        from: `CI <${user}>`,
        to: 'inbox@smtp-notify.test',
        status: 'success',
        transcript: 'true',
      },
    });
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
    const visible = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    assertNoSecrets([visible, run.stderr, run.outputsFile, run.summary].join('\n'), [password]);
  });
});

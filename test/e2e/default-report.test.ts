// The bundle as the runner runs it, with no subject and no body: the default run report and
// subject for each fixture event, delivered over STARTTLS with AUTH to the real smtp-server.
import { describe, expect, it } from 'vitest';
import { runAction, type FixtureEvent } from '../helpers/action-run.js';
import { mailUser, parseReceived, serverInputs } from '../helpers/action-server.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

const runUrl = 'https://github.com/acme/widgets/actions/runs/9123456789';

interface Expected {
  status: string;
  subject: string;
  /** In both the text and the HTML part. */
  facts: string[];
  /** Links the HTML part has as href. */
  links: string[];
}

const cases: Record<FixtureEvent, Expected> = {
  push: {
    status: 'success',
    subject: '✅ acme/widgets: CI passed on main (#42)',
    facts: ['Parse retry-after headers in the HTTP client', '0d1a26e'],
    links: [
      `${runUrl}`,
      'https://github.com/acme/widgets/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      'https://github.com/acme/widgets/compare/6113728f27ae...0d1a26e67d8f',
    ],
  },
  pull_request: {
    status: 'failure',
    subject: '❌ acme/widgets: CI failed on PR #57',
    facts: ['fix-parser', 'outside-contributor'],
    links: ['https://github.com/acme/widgets/pull/57', runUrl],
  },
  release: {
    status: 'success',
    subject: '✅ acme/widgets: CI passed on v2.3.0 (#42)',
    facts: ['v2.3.0', 'Polite retries'],
    links: ['https://github.com/acme/widgets/releases/tag/v2.3.0', runUrl],
  },
  workflow_dispatch: {
    status: 'cancelled',
    subject: 'acme/widgets: CI',
    facts: ['workflow_dispatch', 'attempt 2', 'Re-send the weekly digest after the outage'],
    links: [`${runUrl}/attempts/2`],
  },
};

describe('the default run report', () => {
  it.each(Object.keys(cases) as FixtureEvent[])('is sent for a %s event', async (event) => {
    const expected = cases[event];
    const server = await startServer();
    const run = await runAction({
      event,
      inputs: { ...serverInputs(server), status: expected.status },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stdout).toBe(0);

    expect(server.logins).toEqual([mailUser]);
    expect(server.received[0]?.to).toEqual(['dev@example.com']);
    const mail = await parseReceived(server);
    expect(mail.subject).toContain(expected.subject);
    for (const fact of ['acme/widgets', ...expected.facts]) {
      expect(mail.text).toContain(fact);
      expect(mail.html).toContain(fact);
    }
    for (const link of expected.links) expect(mail.html).toContain(`href="${link}"`);
    // Inline CSS and tables: what Gmail and Outlook render (no <style> blocks, no scripts).
    expect(mail.html).toMatch(/<table[^>]*style="/);
    expect(mail.html).not.toMatch(/<script|<style/i);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');

    expect(run.outputs).toMatchObject({
      result: 'sent',
      attempts: '1',
      'message-id': mail.messageId,
      response: '250 OK: message queued',
      rejected: '[]',
      'eml-path': '',
    });
    expect(JSON.parse(run.outputs.accepted ?? '')).toEqual([
      { address: 'dev@example.com', reply: '250 Accepted' },
    ]);
    expect(run.summary).toContain('Email sent');
    expect(run.summary).toMatch(/TLSv1\.[23]/);
    expect(run.summary).toContain('PLAIN');
  });
});

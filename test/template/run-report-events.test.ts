/**
 * The run report for events beyond the four fixtures, for statuses in any letter case, and for
 * any JSON payload at all: whatever the payload holds, the report renders.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTemplateContext,
  renderDefaultSubject,
  renderRunReport,
} from '../../src/template/index.js';
import { count, lineStartingWith, linkTexts } from './run-report-helpers.js';
import { fixtureEnv } from './template-fixtures.js';

const REPO = { full_name: 'acme/widgets', html_url: 'https://github.com/acme/widgets' };

/** Trimmed webhook payloads with the GITHUB_* values the runner sets for each. */
const EVENTS: Record<string, { env: Record<string, string>; event: Record<string, unknown> }> = {
  schedule: {
    env: { GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' },
    event: { schedule: '17 3 * * 1' },
  },
  workflow_run: {
    env: { GITHUB_EVENT_NAME: 'workflow_run', GITHUB_REF: 'refs/heads/main' },
    event: {
      action: 'completed',
      workflow_run: {
        name: 'Build',
        head_branch: 'fix-parser',
        head_sha: 'c0ffee254729296a45a3885639ac7a1fa1d6e6b3',
        conclusion: 'failure',
        html_url: 'https://github.com/acme/widgets/actions/runs/1',
        pull_requests: [{ number: 57 }],
      },
      repository: REPO,
    },
  },
  issue_comment: {
    env: { GITHUB_EVENT_NAME: 'issue_comment', GITHUB_REF: 'refs/heads/main' },
    event: {
      action: 'created',
      issue: {
        number: 57,
        title: '<b>Comment</b> on a pull request',
        html_url: 'https://github.com/acme/widgets/pull/57',
        pull_request: { html_url: 'https://github.com/acme/widgets/pull/57' },
      },
      comment: { body: '/deploy', user: { login: 'monalisa' } },
      repository: REPO,
    },
  },
  merge_group: {
    env: {
      GITHUB_EVENT_NAME: 'merge_group',
      GITHUB_REF:
        'refs/heads/gh-readonly-queue/main/pr-57-0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      GITHUB_REF_NAME: 'gh-readonly-queue/main/pr-57-0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
    },
    event: {
      action: 'checks_requested',
      merge_group: {
        head_sha: '5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
        head_ref: 'refs/heads/gh-readonly-queue/main/pr-57-0d1a26e6',
        base_ref: 'refs/heads/main',
        head_commit: { id: '5e1f0a9b', message: 'Merge pull request #57' },
      },
      repository: REPO,
    },
  },
};

function contextFor(name: string, status = 'success') {
  const { env, event } = EVENTS[name] ?? { env: {}, event: {} };
  return buildTemplateContext({
    env: { ...fixtureEnv('push'), GITHUB_HEAD_REF: '', ...env },
    event,
    status,
  });
}

describe.each(Object.keys(EVENTS))('renderRunReport: a %s event', (name) => {
  it('renders both parts and the subject with the run facts', async () => {
    const ctx = contextFor(name, 'failure');
    const { html, text } = await renderRunReport(ctx);
    expect(html).toContain('>failed</td>');
    expect(lineStartingWith(text, 'Event:')).toBe(`Event:        ${name}`);
    expect(lineStartingWith(text, 'View the run:')).toBe(`View the run: <${ctx.github.run_url}>`);
    expect(linkTexts(html, ctx.github.run_url)).toEqual(['View the run &rarr;']);
    expect(await renderDefaultSubject(ctx)).toMatch(/^❌ acme\/widgets: CI failed on \S/);
    expect(count(html + text, 'undefined') + count(html + text, '[object')).toBe(0);
  });
});

describe('renderRunReport: the pull request of an issue_comment event', () => {
  it('links the pull request a comment was made on', async () => {
    const { html, text } = await renderRunReport(contextFor('issue_comment'));
    const url = 'https://github.com/acme/widgets/pull/57';
    expect(linkTexts(html, url)).toEqual(['#57']);
    expect(html).toContain('&lt;b&gt;Comment&lt;/b&gt; on a pull request');
    expect(lineStartingWith(text, 'Pull request:')).toBe(
      'Pull request: #57 <b>Comment</b> on a pull request',
    );
  });

  it('shows no pull request for a comment on a plain issue', async () => {
    const { event, env } = EVENTS.issue_comment ?? { event: {}, env: {} };
    const issue = {
      number: 58,
      title: 'Bug',
      html_url: 'https://github.com/acme/widgets/issues/58',
    };
    const ctx = buildTemplateContext({
      env: { ...fixtureEnv('push'), ...env },
      event: { ...event, issue },
      status: 'success',
    });
    const { html, text } = await renderRunReport(ctx);
    expect(html).not.toContain('>Pull request</td>');
    expect(lineStartingWith(text, 'Pull request:')).toBeUndefined();
  });
});

describe('renderRunReport: a status in any letter case', () => {
  it.each([
    ['Success', 'passed'],
    ['FAILURE', 'failed'],
    [' Cancelled\n', 'cancelled'],
  ])('%j reads "%s"', async (status, word) => {
    const ctx = contextFor('schedule', status);
    expect((await renderRunReport(ctx)).html).toContain(`>${word}</td>`);
    // Also when a caller sets the status on a context it did not build.
    const copy = { ...ctx, status };
    expect((await renderRunReport(copy)).html).toContain(`>${word}</td>`);
    expect(await renderDefaultSubject(copy)).toContain(`CI ${word} on main`);
  });
});

describe('renderRunReport: any payload', () => {
  const key = fc.constantFrom(
    'pull_request',
    'commits',
    'release',
    'compare',
    'issue',
    'number',
    'title',
    'html_url',
    'tag_name',
    'name',
    'id',
    'url',
    'message',
    'author',
    'size',
    'first',
    'head',
    'sha',
  );
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  }));
  const payload = fc
    .dictionary(key, value, { maxKeys: 5 })
    // What the action hands over: the event file parsed as JSON.
    .map((event) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>);

  it('renders, whatever the payload holds and whatever its types', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (event) => {
        const ctx = buildTemplateContext({ env: fixtureEnv('push'), event, status: 'failure' });
        const { html, text } = await renderRunReport(ctx);
        expect(html).toContain('>failed</td>');
        expect(text.split('\n')[0]).toMatch(/^❌ CI failed on /);
        await expect(renderDefaultSubject(ctx)).resolves.toMatch(/^❌ acme\/widgets: CI failed/);
      }),
      { numRuns: 400 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildTemplateContext,
  renderDefaultSubject,
  renderRunReport,
} from '../../src/template/index.js';
import { fixtureContext, fixtureEnv, loadEvent } from './template-fixtures.js';

describe('renderDefaultSubject', () => {
  it('names the repository, workflow, status, branch and run number', async () => {
    expect(await renderDefaultSubject(fixtureContext('push'))).toBe(
      '✅ acme/widgets: CI passed on main (#42)',
    );
    expect(await renderDefaultSubject(fixtureContext('release', 'cancelled'))).toBe(
      '⏹️ acme/widgets: CI cancelled on v2.3.0 (#42)',
    );
    expect(await renderDefaultSubject(fixtureContext('workflow_dispatch', 'failure'))).toBe(
      '❌ acme/widgets: CI failed on main (#42)',
    );
  });

  it('puts a hostile pull request title on the one line, unescaped', async () => {
    const subject = await renderDefaultSubject(fixtureContext('pull_request', 'failure'));
    // The title holds CR LF; a header is one line, and a subject is text, not HTML.
    expect(subject).toBe(
      '❌ acme/widgets: CI failed on PR #57 ' +
        `"<script>alert('pwned')</script> ::set-output name=token::x 🚀 **Fix** [click](javascript:alert(1))" (#42)`,
    );
  });

  it('flattens line breaks from any value, not only the title', async () => {
    const env = { ...fixtureEnv('push'), GITHUB_WORKFLOW: 'Nightly\r\nBcc: victim@example.com' };
    const ctx = buildTemplateContext({ env, event: loadEvent('push'), status: 'success' });
    const subject = await renderDefaultSubject(ctx);
    expect(subject).toBe('✅ acme/widgets: Nightly Bcc: victim@example.com passed on main (#42)');
  });

  it('prints template syntax inside a value as text, never running it', async () => {
    const event = loadEvent('pull_request');
    const pullRequest = { ...(event.pull_request as object), title: '{{ env.HOME }} {% raw %}' };
    const env = fixtureEnv('pull_request');
    const ctx = buildTemplateContext({
      env,
      event: { ...event, pull_request: pullRequest },
      status: '',
    });
    expect(await renderDefaultSubject(ctx)).toBe(
      '⚪ acme/widgets: CI finished on PR #57 "{{ env.HOME }} {% raw %}" (#42)',
    );
    const { html, text } = await renderRunReport(ctx);
    expect(html).toContain('{{ env.HOME }} {% raw %}</td>');
    expect(text).toContain('Pull request: #57 {{ env.HOME }} {% raw %}\n');
    expect(html + text).not.toContain('/home/runner');
  });

  it('still says something useful with nothing known', async () => {
    const ctx = buildTemplateContext({ env: {}, event: {}, status: '' });
    expect(await renderDefaultSubject(ctx)).toBe('⚪ Workflow finished');
  });
});

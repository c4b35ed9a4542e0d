import { describe, expect, it } from 'vitest';
import {
  buildTemplateContext,
  renderDefaultSubject,
  renderRunReport,
  type TemplateContext,
} from '../../src/template/index.js';
import { count, lineStartingWith, linkTexts } from './run-report-helpers.js';
import { fixtureContext, fixtureEnv } from './template-fixtures.js';

function contextWith(event: Record<string, unknown>, status = ''): TemplateContext {
  return buildTemplateContext({ env: fixtureEnv('push'), event, status });
}

describe('renderRunReport: the status', () => {
  it.each([
    ['success', 'passed', '#1a7f37', '✅'],
    ['failure', 'failed', '#cf222e', '❌'],
    ['cancelled', 'cancelled', '#6e7781', '⏹️'],
    ['', 'finished', '#0969da', '⚪'],
    ['skipped', 'finished', '#0969da', '⚪'],
  ])('%j reads "%s" in %s', async (status, word, colour, emoji) => {
    const ctx = fixtureContext('push', status);
    const { html, text } = await renderRunReport(ctx);
    expect(html).toContain(`bgcolor="${colour}"`);
    expect(html).toContain(`>${word}</td>`);
    expect(html).toContain(`<h1 style="`);
    expect(html).toContain(`>CI ${word} on main</h1>`);
    // The button takes the status colour and links to the run.
    expect(html).toContain(`<td align="center" bgcolor="${colour}"`);
    expect(text.split('\n')[0]).toBe(`${emoji} CI ${word} on main`);
    expect(await renderDefaultSubject(ctx)).toBe(`${emoji} acme/widgets: CI ${word} on main (#42)`);
    for (const other of ['#1a7f37', '#cf222e', '#6e7781', '#0969da']) {
      if (other !== colour) expect(html, other).not.toContain(`bgcolor="${other}"`);
    }
  });
});

describe('renderRunReport: a value that is missing never fails the report', () => {
  it('renders with no environment, no event payload and no status', async () => {
    const ctx = buildTemplateContext({ env: {}, event: {}, status: '' });
    const { html, text } = await renderRunReport(ctx);
    expect(text).toBe('⚪ Workflow finished\n\n');
    expect(html).toContain('>Workflow finished</h1>');
    expect(count(html, 'href=')).toBe(0); // nothing to link to, and no link to nowhere
    expect(count(html, 'undefined')).toBe(0);
  });

  it('renders the facts it has and leaves out the rest, with no blank lines between', async () => {
    const env = { GITHUB_REPOSITORY: 'acme/widgets', GITHUB_ACTOR: 'monalisa' };
    const ctx = buildTemplateContext({ env, event: {}, status: 'success' });
    const { text } = await renderRunReport(ctx);
    expect(text).toBe(
      '✅ Workflow passed\nacme/widgets\n\n' +
        'Repository:   acme/widgets <https://github.com/acme/widgets>\n' +
        'Actor:        monalisa\n',
    );
  });

  it.each([
    ['fields of the wrong type', { pull_request: 'oops', release: 5, commits: 'oops' }],
    ['empty objects', { pull_request: {}, release: {}, commits: [{}], head_commit: {} }],
    ['nulls', { pull_request: { number: 3, title: null, html_url: null }, commits: [null, 7] }],
    ['a commit with only an id', { commits: [{ id: 12345678901, message: null, author: 'x' }] }],
  ])('renders an event payload with %s', async (_name, event) => {
    const ctx = contextWith(event, 'failure');
    const { html, text } = await renderRunReport(ctx);
    expect(html).toContain('>failed</td>');
    expect(text).toContain('Repository:   acme/widgets');
    expect(await renderDefaultSubject(ctx)).toMatch(/^❌ acme\/widgets: CI failed on /);
    expect(count(html + text, 'undefined') + count(html + text, '[object')).toBe(0);
  });

  it('shows a pull request without title or link by its number alone', async () => {
    const { html, text } = await renderRunReport(contextWith({ pull_request: { number: 3 } }));
    expect(html).toContain('>Pull request</td><td');
    expect(html).toContain('>#3</td>');
    expect(lineStartingWith(text, 'Pull request:')).toBe('Pull request: #3');
  });
});

describe('renderRunReport: a long push', () => {
  const commits = Array.from({ length: 25 }, (_, i) => ({
    id: `${String(i).padStart(2, '0')}${'a'.repeat(38)}`,
    message: `Change number ${i}\n\nDetails`,
    url: `https://github.com/acme/widgets/commit/${i}`,
    author: { name: 'Mona Lisa' },
  }));

  it('lists the first 20 commits and counts the rest', async () => {
    const { html, text } = await renderRunReport(contextWith({ commits }, 'success'));
    expect(html).toContain('>Commits (25)');
    expect(linkTexts(html, 'https://github.com/acme/widgets/commit/19')).toEqual(['19aaaaa']);
    expect(linkTexts(html, 'https://github.com/acme/widgets/commit/20')).toEqual([]);
    expect(html).toContain('>and 5 more</span>');
    expect(text).toContain('- 19aaaaa Change number 19 (Mona Lisa)\n');
    expect(text).not.toContain('Change number 20');
    expect(text).toContain('\n- and 5 more\n');
    expect(text.split('\n').filter((line) => line.startsWith('- 1'))).toHaveLength(10);
  });

  it('leaves out the count line when every commit is shown', async () => {
    const { html, text } = await renderRunReport(contextWith({ commits: commits.slice(0, 20) }));
    expect(html).not.toContain(' more</span>');
    expect(text).not.toContain(' more');
  });
});

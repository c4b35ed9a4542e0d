import { describe, expect, it } from 'vitest';
import { renderRunReport } from '../../src/template/index.js';
import { count, escapeHtml, lineStartingWith, linkTexts } from './run-report-helpers.js';
import { fixtureContext, type FixtureEvent } from './template-fixtures.js';

const EVENTS: FixtureEvent[] = ['push', 'pull_request', 'release', 'workflow_dispatch'];
const REPO_URL = 'https://github.com/acme/widgets';
const RUN_URL = `${REPO_URL}/actions/runs/9123456789`;

/** What each fixture must show under its label: the branch or tag line, commit and actor. */
const EXPECTED: Record<FixtureEvent, { ref: string; sha: string; actor: string; run: string }> = {
  push: { ref: 'main', sha: '0d1a26e', actor: 'monalisa', run: RUN_URL },
  // The pull request head the contributor pushed, not the merge commit in GITHUB_SHA.
  pull_request: { ref: 'fix-parser', sha: 'c0ffee2', actor: 'outside-contributor', run: RUN_URL },
  release: { ref: 'v2.3.0', sha: '0d1a26e', actor: 'monalisa', run: RUN_URL },
  workflow_dispatch: {
    ref: 'main',
    sha: '0d1a26e',
    actor: 'monalisa',
    run: `${RUN_URL}/attempts/2`,
  },
};

describe.each(EVENTS)('renderRunReport: the %s fixture', (name) => {
  const ctx = fixtureContext(name);
  const expected = EXPECTED[name];
  const report = renderRunReport(ctx);

  it('shows every fact in the HTML part, links on the repository, commit and run', async () => {
    const { html } = await report;
    expect(html).toContain('>passed</td>');
    expect(html).toContain('bgcolor="#1a7f37"');
    expect(linkTexts(html, REPO_URL)).toEqual(['acme/widgets']);
    expect(html).toContain('>Workflow</td>');
    expect(html).toContain('>CI, run #42');
    expect(html).toContain('>Job</td><td');
    expect(html).toContain('>test</td>');
    expect(html).toContain(`>${expected.ref}</span>`);
    // The first link to the commit is its row in the facts (a push lists it again below).
    expect(linkTexts(html, ctx.github.commit_url)[0]).toBe(expected.sha);
    expect(ctx.github.commit_url).toContain(expected.sha);
    expect(html).toContain(`>${expected.actor}</td>`);
    expect(html).toContain(`>${name}</td>`);
    expect(linkTexts(html, expected.run)).toEqual(['View the run &rarr;']);
  });

  it('shows the same facts in the text part, every URL written out', async () => {
    const { text } = await report;
    expect(text.split('\n')[0]).toMatch(/^✅ CI passed on /);
    expect(lineStartingWith(text, 'Repository:')).toBe(`Repository:   acme/widgets <${REPO_URL}>`);
    expect(lineStartingWith(text, 'Workflow:')).toMatch(/^Workflow: +CI, run #42/);
    expect(lineStartingWith(text, 'Job:')).toBe('Job:          test');
    expect(text).toMatch(new RegExp(`^(Branch|Tag): +${expected.ref}\\b`, 'm'));
    expect(lineStartingWith(text, 'Commit:')).toBe(
      `Commit:       ${expected.sha} <${ctx.github.commit_url}>`,
    );
    expect(lineStartingWith(text, 'Actor:')).toBe(`Actor:        ${expected.actor}`);
    expect(lineStartingWith(text, 'Event:')).toBe(`Event:        ${name}`);
    expect(lineStartingWith(text, 'View the run:')).toBe(`View the run: <${expected.run}>`);
    expect(count(text, '<a ')).toBe(0);
    expect(count(text, '&amp;')).toBe(0);
  });

  it('is mail-client HTML: tables, inline CSS, a 600px column, no script, style or images', async () => {
    const { html } = await report;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('max-width:600px');
    expect(html).toContain('<!--[if mso]><table');
    for (const banned of ['<script', '<style', '<img', '<link', 'src=', 'href="javascript']) {
      expect(count(html, banned), banned).toBe(0);
    }
    for (const tag of ['table', 'tr', 'td', 'a', 'span']) {
      expect(count(html, `<${tag} `) + count(html, `<${tag}>`), tag).toBe(count(html, `</${tag}>`));
    }
    // Every link opens somewhere absolute: a relative link in a mail has nothing to resolve against.
    for (const href of html.split('href="').slice(1)) expect(href).toMatch(/^https:\/\//);
  });
});

describe('renderRunReport: event details', () => {
  it('lists the commits of a push: short id linked, first line of the message, author', async () => {
    const { html, text } = await renderRunReport(fixtureContext('push'));
    const first = `${REPO_URL}/commit/b7e4c2a9f1d3e5c7a9b1d3f5e7c9a1b3d5f7e9c1`;
    expect(linkTexts(html, first)).toEqual(['b7e4c2a']);
    expect(html).toContain('Parse retry-after headers in the HTTP client <span');
    expect(html).toContain('&mdash; Mona Lisa');
    expect(html).toContain('Docs: explain &lt;retry&gt; &amp; backoff settings');
    expect(html).toContain('>Commits (2)');
    expect(linkTexts(html, `${REPO_URL}/compare/6113728f27ae...0d1a26e67d8f`)).toEqual(['compare']);
    // Only the summary line: the body of a message is left to the commit page.
    expect(html).not.toContain('Servers send either seconds');
    expect(text).not.toContain('Servers send either seconds');
    expect(text).toBe(PUSH_TEXT);
  });

  it('links the pull request by number and shows its hostile title escaped, on one line', async () => {
    const { html, text } = await renderRunReport(fixtureContext('pull_request'));
    const prUrl = `${REPO_URL}/pull/57`;
    expect(linkTexts(html, prUrl)).toEqual(['#57']);
    expect(count(html, '<script')).toBe(0);
    expect(html).toContain(escapeHtml("<script>alert('pwned')</script>"));
    // Markdown in a title stays text: the HTML part is not rendered from Markdown.
    expect(html).toContain('**Fix** [click](javascript:alert(1))</td>');
    expect(html).toContain('fix-parser</span> &rarr; <span');
    expect(lineStartingWith(text, 'Pull request:')).toBe(
      "Pull request: #57 <script>alert('pwned')</script> ::set-output name=token::x 🚀 **Fix** " +
        '[click](javascript:alert(1))',
    );
    // Printed in a log (dry-run), no line of the text part may start a workflow command.
    expect(text.split('\n').filter((line) => line.trimStart().startsWith('::'))).toEqual([]);
    expect(text).toContain(`\n              <${prUrl}>\n`);
    expect(lineStartingWith(text, 'Branch:')).toBe('Branch:       fix-parser -> main');
  });

  it('names and links the release, with the tag labelled as a tag', async () => {
    const { html, text } = await renderRunReport(fixtureContext('release'));
    const releaseUrl = `${REPO_URL}/releases/tag/v2.3.0`;
    expect(linkTexts(html, releaseUrl)).toEqual(['v2.3.0 – Polite retries']);
    expect(html).toContain('>Tag</td>');
    expect(lineStartingWith(text, 'Release:')).toBe('Release:      v2.3.0 – Polite retries');
    expect(text).toContain(`\n              <${releaseUrl}>\n`);
    expect(lineStartingWith(text, 'Tag:')).toBe('Tag:          v2.3.0');
  });

  it('says which attempt a re-run is, and links to that attempt', async () => {
    const { html, text } = await renderRunReport(fixtureContext('workflow_dispatch'));
    expect(html).toContain('CI, run #42 (attempt 2)');
    expect(lineStartingWith(text, 'Workflow:')).toBe('Workflow:     CI, run #42 (attempt 2)');
    expect(html).not.toContain('>Commits'); // no commits section without commits
    expect(text).not.toContain('Commits');
  });
});

const PUSH_TEXT = `✅ CI passed on main
acme/widgets, run #42

Repository:   acme/widgets <https://github.com/acme/widgets>
Workflow:     CI, run #42
Job:          test
Branch:       main
Commit:       0d1a26e <https://github.com/acme/widgets/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c>
Actor:        monalisa
Event:        push

Commits (2) <https://github.com/acme/widgets/compare/6113728f27ae...0d1a26e67d8f>
- b7e4c2a Parse retry-after headers in the HTTP client (Mona Lisa)
  <https://github.com/acme/widgets/commit/b7e4c2a9f1d3e5c7a9b1d3f5e7c9a1b3d5f7e9c1>
- 0d1a26e Docs: explain <retry> & backoff settings (Hubot)
  <https://github.com/acme/widgets/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c>

View the run: <https://github.com/acme/widgets/actions/runs/9123456789>
`;

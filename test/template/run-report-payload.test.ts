/**
 * The run report against payloads a forged or unusual event can hold: the inputs of a manual
 * run, fields of the wrong type, and links that are not web links. Whoever can send a
 * `workflow_dispatch` or `repository_dispatch`, or run a runner other than GitHub's, writes the
 * payload, so nothing in it is trusted to have the shape GitHub documents.
 */
import { describe, expect, it } from 'vitest';
import {
  buildTemplateContext,
  renderDefaultSubject,
  renderRunReport,
  type TemplateContext,
} from '../../src/template/index.js';
import { count, escapeHtml, lineStartingWith, linkTexts } from './run-report-helpers.js';
import { fixtureEnv, loadEvent, type FixtureEvent } from './template-fixtures.js';

function contextFor(name: FixtureEvent, event: Record<string, unknown>): TemplateContext {
  return buildTemplateContext({ env: fixtureEnv(name), event, status: 'success' });
}

function dispatchWith(inputs: unknown): TemplateContext {
  return contextFor('workflow_dispatch', { ...loadEvent('workflow_dispatch'), inputs });
}

/** The lines of the text part from `heading` up to the next blank line. */
function textSection(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  if (start === -1) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('renderRunReport: the inputs of a workflow_dispatch run', () => {
  it('lists each input by name with its value, in both parts', async () => {
    const { html, text } = await renderRunReport(
      contextFor('workflow_dispatch', loadEvent('workflow_dispatch')),
    );
    expect(html).toContain('>Inputs (3)</h2>');
    expect(html).toContain('>environment</td>');
    expect(html).toContain('>staging</td>');
    expect(html).toContain('>Re-send the weekly digest after the outage</td>');
    expect(textSection(text, 'Inputs')).toEqual([
      'Inputs (3)',
      '- environment: staging',
      '- dry_run: true',
      '- reason: Re-send the weekly digest after the outage',
    ]);
  });

  it('escapes names and values in HTML and keeps each on its own line in text', async () => {
    const hostile = "<script>alert('in')</script>\r\n::set-output name=x::y";
    const { html, text } = await renderRunReport(dispatchWith({ [hostile]: hostile }));
    expect(count(html, '<script')).toBe(0);
    expect(count(html, escapeHtml("<script>alert('in')</script>"))).toBe(2);
    const flat = "<script>alert('in')</script> ::set-output name=x::y";
    expect(textSection(text, 'Inputs')).toEqual(['Inputs (1)', `- ${flat}: ${flat}`]);
    expect(text.split('\n').filter((line) => line.trimStart().startsWith('::'))).toEqual([]);
  });

  it('shows the first 20 inputs and counts the rest', async () => {
    const inputs = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`input_${String(i).padStart(2, '0')}`, `v${i}`]),
    );
    const { html, text } = await renderRunReport(dispatchWith(inputs));
    expect(html).toContain('>Inputs (25)</h2>');
    expect(html).toContain('>input_19</td>');
    expect(html).not.toContain('input_20');
    expect(html).toContain('>and 5 more</span>');
    const lines = textSection(text, 'Inputs');
    expect(lines).toHaveLength(22);
    expect(lines[20]).toBe('- input_19: v19');
    expect(lines[21]).toBe('- and 5 more');
  });

  it('counts the inputs right when one of them is named "size"', async () => {
    const { html, text } = await renderRunReport(dispatchWith({ size: 'large', region: 'eu' }));
    expect(html).toContain('>Inputs (2)</h2>');
    expect(textSection(text, 'Inputs')).toEqual(['Inputs (2)', '- size: large', '- region: eu']);
  });

  it('cuts a long value at a character a reader sees whole: no half of an emoji', async () => {
    // Cut by code points, the flag would lose one of its two regional indicators and the
    // ZWJ sequence would end in a bare woman and a joiner.
    const flag = `${'a'.repeat(198)}🇩🇪${'b'.repeat(50)}`;
    const coder = `${'c'.repeat(198)}👩‍💻${'d'.repeat(50)}`;
    const rocket = `${'e'.repeat(198)}🚀🚀${'f'.repeat(50)}`;
    const { html, text } = await renderRunReport(dispatchWith({ flag, coder, rocket }));
    expect(textSection(text, 'Inputs')).toEqual([
      'Inputs (3)',
      `- flag: ${'a'.repeat(198)}🇩🇪…`,
      `- coder: ${'c'.repeat(198)}👩‍💻…`,
      `- rocket: ${'e'.repeat(198)}🚀…`,
    ]);
    expect(html).toContain(`>${'a'.repeat(198)}🇩🇪…</td>`);
    expect(html + text).not.toMatch(/\p{Cs}/u); // no lone surrogate anywhere
  });

  it('shows a value of 200 characters or fewer whole', async () => {
    const value = `${'x'.repeat(199)}🇩🇪`;
    const { text } = await renderRunReport(dispatchWith({ exact: value }));
    expect(lineStartingWith(text, '- exact:')).toBe(`- exact: ${value}`);
  });

  it.each([
    ['a list', ['environment', 'staging']],
    ['a list of pairs', [['environment', 'staging']]],
    ['text', 'environment=staging'],
    ['a number', 3],
    ['null', null],
    ['an empty mapping', {}],
  ])('leaves the section out when the inputs are %s', async (_name, inputs) => {
    const { html, text } = await renderRunReport(dispatchWith(inputs));
    expect(html).not.toContain('>Inputs');
    expect(text).not.toContain('Inputs');
    expect(text).not.toContain('environment');
  });
});

const NOISE = 'PLANTED-NOISE';

/** Values of the wrong type for a field that should hold text, a number or a list. */
const WRONG_SHAPES: [string, unknown][] = [
  ['an object', { value: NOISE }],
  ['a list', [NOISE, { deeper: NOISE }]],
  ['a list of one string', [NOISE]],
  ['a nested object', { a: { b: [NOISE] } }],
];

/** A payload in which every field the report reads is present and well formed. */
function fullPayload(): Record<string, unknown> {
  return {
    pull_request: {
      number: 57,
      title: 'Fix the parser',
      html_url: 'https://github.com/acme/widgets/pull/57',
      head: { sha: 'c0ffee254729296a45a3885639ac7a1fa1d6e6b3' },
    },
    release: {
      tag_name: 'v2.3.0',
      name: 'Polite retries',
      html_url: 'https://github.com/acme/widgets/releases/tag/v2.3.0',
    },
    commits: [
      {
        id: 'b7e4c2a9f1d3e5c7a9b1d3f5e7c9a1b3d5f7e9c1',
        message: 'Parse retry-after headers\n\nDetails',
        url: 'https://github.com/acme/widgets/commit/b7e4c2a',
        author: { name: 'Mona Lisa' },
      },
    ],
    compare: 'https://github.com/acme/widgets/compare/6113728f27ae...0d1a26e67d8f',
    inputs: { environment: 'staging' },
    head_commit: { message: 'Parse retry-after headers' },
    sender: { login: 'monalisa' },
  };
}

/** Sets `path` (dot-separated, numbers index lists) in a copy of `payload`. */
function withField(payload: Record<string, unknown>, path: string, value: unknown) {
  const copy = structuredClone(payload);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) ?? ''] = value;
  return copy;
}

async function renderAll(event: Record<string, unknown>) {
  const ctx = contextFor('push', event);
  const [{ html, text }, subject] = await Promise.all([
    renderRunReport(ctx),
    renderDefaultSubject(ctx),
  ]);
  return { html, text, subject };
}

describe('renderRunReport: a payload field of the wrong type prints nothing of itself', () => {
  const fields = [
    'pull_request.number',
    'pull_request.title',
    'pull_request.html_url',
    'pull_request.head',
    'release.tag_name',
    'release.name',
    'release.html_url',
    'commits',
    'commits.0',
    'commits.0.id',
    'commits.0.message',
    'commits.0.url',
    'commits.0.author',
    'commits.0.author.name',
    'compare',
    'inputs.environment',
    'head_commit.message',
    'sender.login',
  ];
  const cases = fields.flatMap((field) =>
    WRONG_SHAPES.map(([shape, value]) => [field, shape, value] as const),
  );

  it.each(cases)('%s as %s', async (field, _shape, value) => {
    const { html, text, subject } = await renderAll(withField(fullPayload(), field, value));
    const all = html + text + subject;
    expect(all).not.toContain(NOISE);
    for (const noise of ['[object', '{"', '["', '{&quot;', '[&quot;']) {
      expect(count(all, noise), noise).toBe(0);
    }
    expect(html).toContain('>passed</td>');
  });

  it.each(
    ['issue.number', 'issue.title'].flatMap((field) =>
      WRONG_SHAPES.map(([shape, value]) => [field, shape, value] as const),
    ),
  )('%s of a comment on a pull request as %s', async (field, _shape, value) => {
    const issue = {
      number: 57,
      title: 'Fix the parser',
      pull_request: { html_url: 'https://github.com/acme/widgets/pull/57' },
    };
    const { html, text, subject } = await renderAll(withField({ issue }, field, value));
    expect(html + text + subject).not.toContain(NOISE);
    expect(count(html + text + subject, '[object')).toBe(0);
  });
});

describe('renderRunReport: what is left when a field has the wrong type', () => {
  const wrong = { value: NOISE };

  it('leaves out the pull request when its number is not a number', async () => {
    const { html, text, subject } = await renderAll(
      withField(fullPayload(), 'pull_request.number', wrong),
    );
    expect(html).not.toContain('>Pull request</td>');
    expect(lineStartingWith(text, 'Pull request:')).toBeUndefined();
    expect(subject).toBe('✅ acme/widgets: CI passed on main (#42)');
  });

  it('shows a pull request whose title is not text by its number alone', async () => {
    const { text, subject } = await renderAll(
      withField(fullPayload(), 'pull_request.title', wrong),
    );
    expect(lineStartingWith(text, 'Pull request:')).toBe('Pull request: #57');
    expect(subject).toBe('✅ acme/widgets: CI passed on PR #57 (#42)');
  });

  it('leaves out the release when its tag is not text, and names it by its tag when its name is not', async () => {
    const noTag = await renderAll(withField(fullPayload(), 'release.tag_name', wrong));
    expect(noTag.html).not.toContain('>Release</td>');
    expect(lineStartingWith(noTag.text, 'Release:')).toBeUndefined();
    const noName = await renderAll(withField(fullPayload(), 'release.name', [NOISE]));
    expect(lineStartingWith(noName.text, 'Release:')).toBe('Release:      v2.3.0');
    const url = 'https://github.com/acme/widgets/releases/tag/v2.3.0';
    expect(linkTexts(noName.html, url)).toEqual(['v2.3.0']);
  });

  it('leaves out the commits when they are not a list', async () => {
    const { html, text } = await renderAll(withField(fullPayload(), 'commits', { id: NOISE }));
    expect(html).not.toContain('>Commits');
    expect(text).not.toContain('Commits');
  });

  it('leaves out the parts of a commit that are not text, with no stray spaces', async () => {
    const commit = { id: wrong, message: 'Only the message', url: 5, author: { name: [NOISE] } };
    const { html, text } = await renderAll({ commits: [commit] });
    expect(textSection(text, 'Commits')).toEqual(['Commits (1)', '- Only the message']);
    expect(html).toContain('Only the message</td>');
    const noMessage = await renderAll({
      commits: [{ ...commit, id: 'abcdef123', message: wrong }],
    });
    expect(textSection(noMessage.text, 'Commits')).toEqual(['Commits (1)', '- abcdef1']);
  });

  it('shows an input whose value is not text by its name alone', async () => {
    const { html, text } = await renderRunReport(dispatchWith({ target: wrong, region: 'eu' }));
    expect(textSection(text, 'Inputs')).toEqual(['Inputs (2)', '- target', '- region: eu']);
    expect(html).toContain('>target</td>');
  });
});

describe('renderRunReport: the text part prints only absolute http(s) links', () => {
  const refused = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java&#115;cript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'mailto:someone@example.com',
    'ftp://files.example.com/x',
    '//evil.example/path',
    '/relative/path',
    'https://',
    'https://ok.example/a>\nView the run: <https://evil.example',
    'https://ok.example/a b',
    'https://ok.example/\u202eexe.txt',
  ];

  it.each(refused)(
    'leaves out %j as a commit, release, pull request and compare link',
    async (url) => {
      let event = fullPayload();
      for (const field of [
        'commits.0.url',
        'release.html_url',
        'pull_request.html_url',
        'compare',
      ]) {
        event = withField(event, field, url);
      }
      const { html, text } = await renderAll(event);
      expect(textSection(text, 'Commits')).toEqual([
        'Commits (1)',
        '- b7e4c2a Parse retry-after headers (Mona Lisa)',
      ]);
      expect(text).toContain('\nRelease:      Polite retries (v2.3.0)\n\n');
      expect(text).toContain('\nPull request: #57 Fix the parser\nRelease:');
      expect(text).not.toMatch(/^ +</m); // no URL line under any fact or commit
      expect(text.split('\n').filter((line) => line.startsWith('View the run:'))).toHaveLength(1);
      // The HTML shows the same values as text, not as links to nowhere.
      expect(html).not.toContain('<a  ');
      expect(html).toContain('>b7e4c2a</span></td>');
      expect(html).toContain('>#57 Fix the parser</td>');
      expect(html).toContain('>Polite retries <span');
      expect(html).toContain('>Commits (1)</h2>');
    },
  );

  it.each([
    'https://github.com/acme/widgets/commit/b7e4c2a',
    'http://ghe.internal.example/acme/widgets/commit/b7e4c2a',
    'HTTPS://GITHUB.COM/acme/widgets/commit/b7e4c2a',
  ])('prints %j', async (url) => {
    const { html, text } = await renderAll(withField(fullPayload(), 'commits.0.url', url));
    expect(textSection(text, 'Commits')).toEqual([
      'Commits (1) <https://github.com/acme/widgets/compare/6113728f27ae...0d1a26e67d8f>',
      '- b7e4c2a Parse retry-after headers (Mona Lisa)',
      `  <${url}>`,
    ]);
    expect(linkTexts(html, url)).toEqual(['b7e4c2a']);
  });
});

/**
 * What an attacker who writes a pull request title, a branch name or a forged event payload can
 * make of an HTML template, and what a template author's slip (an unquoted attribute) exposes.
 */
import { describe, expect, it } from 'vitest';
import {
  buildTemplateContext,
  renderMarkdown,
  renderRunReport,
  renderTemplate,
  type TemplateContext,
} from '../../src/template/index.js';
import { fixtureContext, fixtureEnv, loadEvent } from './template-fixtures.js';

const push = fixtureContext('push');

function withVars(vars: Record<string, unknown>, context = push): TemplateContext {
  return { ...context, vars };
}

function html(text: string, context: TemplateContext): Promise<string> {
  return renderTemplate({ name: 'html-body', text }, context, 'html');
}

// Spellings of a script URL a browser accepts: case, leading controls and spaces, a tab or a
// line break inside the scheme (the URL parser drops them), and character references.
const SCRIPT_URLS = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  ' \u0001javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
];

/** Every href/src value in `page`, decoded as a browser decodes the few references we emit. */
function urlAttributes(page: string): string[] {
  return [...page.matchAll(/\s(?:href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)].map((m) =>
    (m[1] ?? '')
      .replace(/^["']|["']$/g, '')
      .replace(/&#(\d+);?/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&#x([0-9a-f]+);?/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
      .replace(/&colon;/gi, ':')
      .replace(/&tab;/gi, '\t')
      .replace(/&newline;/gi, '\n')
      .replace(/&amp;/g, '&'),
  );
}

function isScriptUrl(url: string): boolean {
  // What the WHATWG URL parser does before it reads the scheme.
  // eslint-disable-next-line no-control-regex -- matching controls is the point
  const cleaned = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  return /^(javascript|vbscript|data):/i.test(cleaned);
}

describe('a value in an HTML attribute', () => {
  it.each(SCRIPT_URLS)('never becomes a script link: %j', async (url) => {
    const context = withVars({ url });
    const page = await html(
      '<a href="{{ vars.url }}">a</a><a href=\'{{ vars.url }}\'>b</a><a href={{ vars.url }}>c</a>' +
        '<img src="{{ vars.url }}"><a title="x" href="{{ vars.url | strip }}">d</a>',
      context,
    );
    expect(urlAttributes(page).filter(isScriptUrl)).toEqual([]);
    // The link text stays; only the destination goes.
    expect(page).toContain('>a</a>');
    expect(page).toContain('>d</a>');
  });

  it('keeps http, https, mailto, cid and fragment links exactly as written', async () => {
    const context = withVars({ url: 'https://example.com/a?b=1&c=2#d' });
    const page = await html(
      '<a href="{{ vars.url }}">x</a><a href="mailto:ops@acme.example">m</a>' +
        '<img src="cid:logo"><a href="#top">t</a><a href="{{ github.run_url }}">r</a>',
      context,
    );
    expect(urlAttributes(page)).toEqual([
      'https://example.com/a?b=1&c=2#d',
      'mailto:ops@acme.example',
      'cid:logo',
      '#top',
      push.github.run_url,
    ]);
  });

  it('cannot add an attribute to an unquoted attribute value', async () => {
    const context = withVars({ title: 'x onmouseover=alert(1) style=position:fixed' });
    const page = await html('<td title={{ vars.title }}>cell</td>', context);
    // A browser ends the unquoted value at the space; what follows must not be `name=value`.
    expect(page).not.toMatch(/\sonmouseover\s*=/i);
    expect(page).not.toMatch(/\sstyle\s*=/i);
  });
});

describe('every way a tag prints a value in an HTML template', () => {
  const title = '<img src=x onerror=alert(1)>';
  const context = withVars({ title, list: [title] });

  it.each([
    ['output', '{{ vars.title }}'],
    ['a filter', '{{ vars.title | append: "!" }}'],
    ['default on a missing value', '{{ vars.none | default: vars.title }}'],
    ['url_encode then a filter', '{{ vars.title | url_encode | url_decode }}'],
    ['json', '{{ vars.title | json }}'],
    ['a list as JSON', '{{ vars }}'],
    ['echo', '{% echo vars.title %}'],
    ['liquid', '{% liquid\necho vars.title\n%}'],
    ['cycle', '{% cycle vars.title, "b" %}'],
    ['tablerow', '{% tablerow t in vars.list %}{{ t }}{% endtablerow %}'],
    ['capture printed with raw', '{% capture c %}{{ vars.title }}{% endcapture %}{{ c | raw }}'],
  ])('escapes %s', async (_name, text) => {
    const page = await html(text, context);
    expect(page).not.toMatch(/<img/i);
    expect(page).toMatch(/&lt;img/);
  });
});

describe('an HTML body or the run report, from a forged event payload', () => {
  const payload = loadEvent('pull_request');
  const forged = {
    ...payload,
    compare: 'javascript:alert("compare")',
    commits: [{ id: 'abcdef1234567', message: 'm', url: 'javascript:alert("commit")' }],
    release: { tag_name: 'v1', html_url: ' javascript:alert("release")' },
  };
  const pullRequest = payload.pull_request as Record<string, unknown>;
  const context = buildTemplateContext({
    env: fixtureEnv('pull_request'),
    event: { ...forged, pull_request: { ...pullRequest, html_url: 'JAVASCRIPT:alert("pr")' } },
    status: 'failure',
  });

  it('links nothing to a script URL in the report', async () => {
    const { html: page } = await renderRunReport(context);
    expect(urlAttributes(page).filter(isScriptUrl)).toEqual([]);
    // Every href left is absolute https, as the report promises.
    for (const url of urlAttributes(page)) expect(url).toMatch(/^https:\/\//);
  });

  it('does not offer a script URL as github.pull_request_url or github.compare_url', () => {
    expect(context.github.pull_request_url).toBe('');
    expect(context.github.compare_url).toBe('');
  });

  it('links nothing to a script URL in a Markdown body, even in HTML the author wrote', async () => {
    const text =
      '<a href="{{ event.commits[0].url }}">commit</a> [release]({{ event.release.html_url }})\n\n' +
      '<div><a href="{{ event.compare }}">compare</a></div>';
    const { html: page } = await renderMarkdown({ name: 'body', text }, context);
    expect(urlAttributes(page).filter(isScriptUrl)).toEqual([]);
  });
});

describe('a render cannot change what the next render sees', () => {
  it('keeps {% increment %} and {% decrement %} out of the shared context', async () => {
    const context = fixtureContext('push');
    const before = JSON.stringify(context);
    await expect(
      renderTemplate(
        {
          name: 'subject',
          text: '{% increment status %}{% decrement vars %}{% increment github %}',
        },
        context,
        'header',
      ),
    ).resolves.toBe('0-10');
    expect(JSON.stringify(context)).toBe(before);
    await expect(
      renderTemplate(
        { name: 'body', text: '{{ status }} {{ github.repository }}' },
        context,
        'text',
      ),
    ).resolves.toBe('success acme/widgets');
  });
});

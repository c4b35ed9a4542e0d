import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, type TemplateContext } from '../../src/template/index.js';
import { fixtureContext } from './template-fixtures.js';

const pullRequest = fixtureContext('pull_request', 'failure');
const TITLE = (pullRequest.event.pull_request as { title: string }).title;

function withVars(vars: Record<string, unknown>): TemplateContext {
  return { ...pullRequest, vars };
}

async function html(text: string, context = pullRequest): Promise<string> {
  return (await renderMarkdown({ name: 'body', text }, context)).html;
}

/** The rendered body between the wrapper's opening div and its closing tag. */
function bodyOf(document: string): string {
  const match = /<div style="max-width[^>]*>\n([\s\S]*)\n<\/div>\n<\/body>/.exec(document);
  if (match?.[1] === undefined) throw new Error(`no body in ${document}`);
  return match[1];
}

const NAMED_REFERENCES: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&' };

/** Decodes the character references a value may be escaped with, in one pass as a browser does. */
function decodeText(html: string): string {
  return html.replace(/&(#\d+|#x[0-9a-f]+|lt|gt|quot|amp);/gi, (reference, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) {
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    }
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return NAMED_REFERENCES[name] ?? reference;
  });
}

const TEMPLATE = `# {{ github.repository }} failed

**Pull request:** [#{{ event.pull_request.number }}]({{ github.pull_request_url }}) {{ event.pull_request.title }}

| Field | Value |
|---|---|
| Title | {{ event.pull_request.title }} |
| Author | _{{ event.pull_request.user.login }}_ |
`;

describe('renderMarkdown', () => {
  it('keeps the Markdown and the raw values in the text part', async () => {
    const { text } = await renderMarkdown({ name: 'body', text: TEMPLATE }, pullRequest);
    expect(text).toContain(`| Title | ${TITLE} |`);
    expect(text).toContain('# acme/widgets failed');
  });

  it("renders the template's own Markdown: heading, emphasis, link, table", async () => {
    const body = bodyOf(await html(TEMPLATE));
    expect(body).toContain('<h1>acme/widgets failed</h1>');
    expect(body).toContain('<strong>Pull request:</strong>');
    expect(body).toMatch(
      /<a href="https:\/\/github\.com\/acme\/widgets\/pull\/57" style="[^"]+">#57<\/a>/,
    );
    expect(body).toMatch(/<table style="[^"]*border-collapse:collapse/);
    expect(body).toMatch(/<td style="[^"]*border:1px solid #d0d7de[^"]*">Title<\/td>/);
    expect(body).toMatch(/<em>outside-contributor<\/em>/);
  });

  it('shows a hostile pull request title as the literal text it is', async () => {
    const body = bodyOf(await html(TEMPLATE));
    expect(body).not.toMatch(/<script|<img|<strong>Fix|javascript:alert\(1\)"|href="javascript/i);
    const literal =
      '&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; ::set-output name=token::x 🚀 ' +
      '**Fix** [click](javascript:alert(1))';
    // Once in the paragraph, once in the table cell, which it does not split: what a reader
    // sees is the title as typed, whatever character references carry it.
    expect(decodeText(body).split(decodeText(literal))).toHaveLength(3);
    const cell = /<td style="[^"]*">([^<]*script[^<]*)<\/td>/.exec(body)?.[1] ?? '';
    expect(decodeText(cell)).toBe(decodeText(literal));
  });

  it.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['[click](javascript:alert(1))', '[click](javascript:alert(1))'],
    ['**bold** and _it_ and ~~gone~~ and `code`', '**bold** and _it_ and ~~gone~~ and `code`'],
    ['![pixel](https://tracker.example/p.gif)', '![pixel](https://tracker.example/p.gif)'],
    [
      'https://evil.example/login and www.evil.example',
      'https://evil.example/login and www.evil.example',
    ],
    ['<https://evil.example>', '&lt;https://evil.example&gt;'],
    ['&lt;b&gt; &amp; &#106;', '&amp;lt;b&amp;gt; &amp;amp; &amp;#106;'],
  ])('renders the value %j as text', async (value, shown) => {
    const body = bodyOf(await html('Value: {{ vars.value }}', withVars({ value })));
    expect(body).toMatch(/^<p>Value: [^<>]*<\/p>$/);
    expect(decodeText(body)).toBe(decodeText(`<p>Value: ${shown}</p>`));
  });

  it('keeps a value with line breaks from starting a block', async () => {
    const value = 'first\n# heading\n- item\n1. numbered\n> quote\n    code\n| a | b |\n---\n<div>';
    const body = bodyOf(await html('{{ vars.value }}', withVars({ value })));
    expect(body).toMatch(/^<p>[^<>]*<\/p>$/);
    expect(decodeText(body)).toBe(
      decodeText(
        '<p>first # heading - item 1. numbered &gt; quote code | a | b | --- &lt;div&gt;</p>',
      ),
    );
  });

  it('keeps values inert inside an HTML block the author wrote', async () => {
    const body = bodyOf(await html('<div class="box">{{ event.pull_request.title }}</div>'));
    expect(body).not.toMatch(/<script|<img/i);
    const inner = /^<div class="box">(.*)<\/div>$/.exec(body)?.[1] ?? '';
    expect(inner).not.toMatch(/[<>]/);
    // A browser shows the title as typed (line break as a space), with no stray backslashes.
    expect(decodeText(inner)).toBe(TITLE.replace(/\s+/g, ' '));
  });

  it('gives a value in HTML the author wrote its exact text and URL', async () => {
    const text =
      'Run <a href="{{ github.run_url }}">here</a>\n\n' +
      '<div align="center">{{ github.repository }} on {{ github.head_ref }}</div>';
    const body = bodyOf(await html(text));
    const href = /<a href="([^"]*)"/.exec(body)?.[1] ?? '';
    expect(decodeText(href)).toBe(pullRequest.github.run_url);
    expect(body).toMatch(/<div align="center">(.*)<\/div>/);
    const div = /<div align="center">(.*)<\/div>/.exec(body)?.[1] ?? '';
    expect(decodeText(div)).toBe('acme/widgets on fix-parser');
  });

  it('renders a link or image only for http, https, mailto and cid URLs', async () => {
    const context = withVars({ url: 'javascript:alert(1)' });
    const body = bodyOf(
      await html(
        // A browser drops the tab that the character reference decodes to, and sees `javascript:`.
        '[a]({{ vars.url }}) [b](JavaScript:alert(2)) [c](java&#9;script&colon;alert(3)) ' +
          '![d](data:image/png;base64,AAAA)\n' +
          '[ok](https://example.com/x?a=1&b=2) [mail](mailto:ops@acme.example) ![logo](cid:logo) ' +
          '[top](#top) [rel](docs/x.md)',
        context,
      ),
    );
    expect(body).not.toMatch(/java|data:|&colon;/i);
    expect(body).toContain('<p>a b c d<br>');
    expect(body).toContain('<a href="https://example.com/x?a=1&amp;b=2"');
    expect(body).toContain('<a href="mailto:ops@acme.example"');
    expect(body).toMatch(/<img src="cid:logo" alt="logo" style="max-width:100%"/);
    expect(body).toContain('<a href="#top"');
    expect(body).toMatch(/ rel<\/p>$/);
  });

  it('turns single line breaks into <br>, as GitHub comments do', async () => {
    const body = bodyOf(await html('Status: {{ status }}\nCommit: {{ github.short_sha }}'));
    expect(body).toBe('<p>Status: failure<br>Commit: c0ffee2</p>');
  });

  it('wraps the HTML in a document a mail reader can show', async () => {
    const document = await html('hello');
    expect(document).toMatch(/^<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">/);
    expect(document).not.toContain('<style');
    expect(document).toMatch(/<body style="[^"]+">/);
  });

  it('shows any value as exactly its text, white space collapsed', async () => {
    const alphabet = fc.constantFrom(
      ...'ab1 \n\t*_`~[]()<>!#&;:/\\|-+=.\'"{}^@$%?,'.split(''),
      '🚀',
      'é',
      '&lt;',
      '&#106;',
      'javascript:',
      'https://x.example',
      'www.x.example',
    );
    const values = fc
      .array(alphabet, { minLength: 1, maxLength: 40 })
      .map((parts) => parts.join(''))
      .filter((value) => value.trim() !== '');
    await fc.assert(
      fc.asyncProperty(values, async (value) => {
        const body = bodyOf(await html('{{ vars.value }}', withVars({ value })));
        const inner = /^<p>([\s\S]*)<\/p>$/.exec(body)?.[1];
        expect(inner).toBeDefined();
        expect(inner).not.toMatch(/</);
        // marked may keep a trailing space in a paragraph; a reader does not see it.
        expect(decodeText(inner ?? '').trim()).toBe(value.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderMarkdown: values in code', () => {
  it('shows a value in a code span or block as typed, with no escapes in sight', async () => {
    const context = withVars({ ref: 'release/v1.2-rc_1', cmd: 'a && b <c> "d" `e` &lt;' });
    const body = bodyOf(await html('Branch `{{ vars.ref }}`\n\n```\n{{ vars.cmd }}\n```', context));
    const [span, block] = [...body.matchAll(/<code[^>]*>([^<]*)<\/code>/g)].map((m) => m[1] ?? '');
    expect(decodeText(span ?? '')).toBe('release/v1.2-rc_1');
    expect(decodeText(block ?? '')).toBe('a && b <c> "d" `e` &lt;\n');
    expect(body).not.toMatch(/<c>/);
  });
});

describe('renderMarkdown: a value cannot complete the template’s Markdown', () => {
  it.each([
    [
      'a link reference definition',
      '{{ vars.v }}\n\nSee [docs].',
      '[docs]: https://evil.example',
      /<a /,
    ],
    ['a setext heading underline', 'Title\n{{ vars.v }}', '===', /<h1|<h2/],
    ['a table delimiter row', '| A | B |\n{{ vars.v }}\n| x | y |', '|---|---|', /<table/],
    ['a thematic break', 'a\n\n{{ vars.v }}\n\nb', '***', /<hr/],
    ['an autolink', 'Go to {{ vars.v }}', 'www.evil.example/login', /<a /],
    ['an e-mail autolink', 'Mail {{ vars.v }}', 'victim@evil.example', /<a /],
    ['an HTML comment that hides the rest', '{{ vars.v }} secret -->', '<!--', /<!--/],
  ])('%s', async (_name, template, value, forbidden) => {
    const body = bodyOf(await html(template, withVars({ v: value })));
    expect(body).not.toMatch(forbidden);
    expect(decodeText(body)).toContain(value);
  });
});

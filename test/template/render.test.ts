import { describe, expect, it } from 'vitest';
import { renderTemplate, type TemplateKind } from '../../src/template/index.js';
import { fixtureContext } from './template-fixtures.js';

const push = fixtureContext('push', 'success');
const pullRequest = fixtureContext('pull_request', 'failure');

function render(text: string, kind: TemplateKind = 'text', context = push): Promise<string> {
  return renderTemplate({ name: 'body', text }, context, kind);
}

describe('renderTemplate', () => {
  it('fills in the github, runner, status and env values', async () => {
    const text =
      '{{ github.repository }}@{{ github.short_sha }} on {{ github.ref_name }} ' +
      '({{ runner.os }}, {{ status }}, CI={{ env.CI }}) {{ github.run_url }}';
    await expect(render(text)).resolves.toBe(
      'acme/widgets@0d1a26e on main (Linux, success, CI=true) ' +
        'https://github.com/acme/widgets/actions/runs/9123456789',
    );
  });

  it('loops over the commits of a push with filters', async () => {
    const text =
      '{% for c in event.commits %}- {{ c.id | slice: 0, 7 }} {{ c.message | split: "\n" | first }}' +
      ' ({{ c.author.name | upcase }})\n{% endfor %}{{ event.commits | size }} commits';
    await expect(render(text)).resolves.toBe(
      '- b7e4c2a Parse retry-after headers in the HTTP client (MONA LISA)\n' +
        '- 0d1a26e Docs: explain <retry> & backoff settings (HUBOT)\n' +
        '2 commits',
    );
  });

  it('branches on status and allows {% if %} on a value the event does not have', async () => {
    const text =
      '{% if status == "failure" %}FAILED{% else %}ok{% endif %}' +
      '{% if event.pull_request %} PR #{{ event.pull_request.number }}{% endif %}' +
      '{% unless event.release.tag_name %} no release{% endunless %}' +
      ' {{ event.nothing | default: "none" }}';
    await expect(render(text, 'text', push)).resolves.toBe('ok no release none');
    await expect(render(text, 'text', pullRequest)).resolves.toBe('FAILED PR #57 no release none');
  });

  it('prints untrusted values as they are in a text template', async () => {
    const title = (pullRequest.event.pull_request as { title: string }).title;
    await expect(render('{{ event.pull_request.title }}', 'text', pullRequest)).resolves.toBe(
      title,
    );
  });

  it('HTML-escapes every value in an html template, but not the template itself', async () => {
    const html = await render(
      '<h1 title="{{ event.pull_request.title }}">{{ event.pull_request.title }}</h1>',
      'html',
      pullRequest,
    );
    expect(html).toBe(
      '<h1 title="&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;\r\n::set-output ' +
        'name&#61;token::x 🚀 **Fix** [click](javascript:alert(1))">&lt;script&gt;alert(&#39;' +
        'pwned&#39;)&lt;/script&gt;\r\n::set-output name&#61;token::x 🚀 **Fix** ' +
        '[click](javascript:alert(1))</h1>',
    );
    await expect(render('{{ event.commits[1].message }}', 'html')).resolves.toBe(
      'Docs: explain &lt;retry&gt; &amp; backoff settings',
    );
  });

  it('escapes values that filters produced and values printed with echo', async () => {
    const text = '{{ event.pull_request.body | upcase }}|{% echo event.pull_request.body %}';
    const html = await render(text, 'html', pullRequest);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;IMG SRC&#61;X ONERROR&#61;ALERT(1)&gt;');
    expect(html).toContain('&lt;img src&#61;x onerror&#61;alert(1)&gt;');
  });

  it('escapes echo inside a {% liquid %} block too', async () => {
    const text = '{% liquid\necho event.pull_request.title\n%}';
    const html = await render(text, 'html', pullRequest);
    expect(html).toMatch(/^&lt;script&gt;/);
  });

  it('escapes a captured block once more when printed, unless printed with | raw', async () => {
    const text =
      '{% capture line %}<b>{{ event.commits[1].message }}</b>{% endcapture %}' +
      '{{ line }}|{{ line | raw }}';
    await expect(render(text, 'html')).resolves.toBe(
      '&lt;b&gt;Docs: explain &amp;lt;retry&amp;gt; &amp;amp; backoff settings&lt;/b&gt;|' +
        '<b>Docs: explain &lt;retry&gt; &amp; backoff settings</b>',
    );
  });

  it('keeps | raw for an author who takes responsibility for the value', async () => {
    const context = { ...push, vars: { banner: '<b>deploy</b>' } };
    await expect(render('{{ vars.banner | raw }}', 'html', context)).resolves.toBe('<b>deploy</b>');
  });

  it('makes a header one line: line breaks, tabs and separators collapse, ends trimmed', async () => {
    const context = { ...push, vars: { odd: 'a\u2028b\u2029c\td\u0085e\x00f\x0bg' } };
    const subject = await render(
      '  {{ event.pull_request.title }}\n  [{{ status }}]  ',
      'header',
      pullRequest,
    );
    expect(subject).toBe(
      "<script>alert('pwned')</script> ::set-output name=token::x 🚀 **Fix** " +
        '[click](javascript:alert(1)) [failure]',
    );
    await expect(render('{{ vars.odd }}', 'header', context)).resolves.toBe('a b c d e f g');
  });

  it('prints an object or a list of objects as JSON, not [object Object]', async () => {
    const head = await render('{{ event.pull_request.head.user }}', 'text', pullRequest);
    expect(JSON.parse(head)).toEqual({ login: 'outside-contributor', id: 77001122 });
    const commits = await render('{{ event.commits }}');
    expect((JSON.parse(commits) as unknown[]).length).toBe(2);
    const html = await render('{{ event.pull_request.head.repo }}', 'html', pullRequest);
    expect(html).toBe(
      '{&quot;full_name&quot;:&quot;outside-contributor/widgets&quot;,&quot;fork&quot;:true}',
    );
  });

  it('joins a list of plain values as every Liquid does', async () => {
    await expect(render('{{ "a,b,c" | split: "," }}')).resolves.toBe('abc');
    await expect(render('{{ event.commits[0].modified }}')).resolves.toBe('src/http/client.ts');
  });

  it('prints numbers, booleans and null as text', async () => {
    const text =
      '{{ event.pull_request.number }} {{ event.pull_request.draft }} [{{ event.pull_request.mergeable }}]';
    await expect(render(text, 'text', pullRequest)).resolves.toBe('57 false []');
  });

  it('starts every render afresh: an {% assign %} neither leaks out nor persists', async () => {
    await expect(
      render('{% assign status = "hacked" %}{% assign leftover = 1 %}{{ status }}'),
    ).resolves.toBe('hacked');
    expect(push.status).toBe('success');
    await expect(render('{{ status }}')).resolves.toBe('success');
    await expect(render('{{ leftover }}')).rejects.toThrow('"leftover" is not defined');
  });
});

describe('renderTemplate: the header kind', () => {
  it('collapses every Unicode space and separator, not only ASCII ones', async () => {
    const context = { ...push, vars: { v: 'a\u00a0b\u3000c\u1680d\u2003e\u202ff\u205fg\u2028h' } };
    await expect(render('{{ vars.v }}', 'header', context)).resolves.toBe('a b c d e f g h');
  });

  it('replaces a lone surrogate (JSON can carry one as \\ud83d) instead of passing it on', async () => {
    const event = JSON.parse('{"title": "ok \\ud83d"}') as Record<string, unknown>;
    const subject = await render('{{ event.title }}|', 'header', { ...push, event });
    expect(subject).toBe('ok \ufffd|');
    expect(subject).not.toMatch(/\p{Cs}/u);
  });

  it('cuts a value far too long for a header, at a character boundary, and says so', async () => {
    const context = { ...push, vars: { v: '🚀'.repeat(5_000) } };
    const subject = await render('{{ vars.v }}', 'header', context);
    expect([...subject]).toHaveLength(998);
    expect(subject.endsWith('🚀…')).toBe(true);
    expect(subject).not.toMatch(/\p{Cs}/u);
  });
});

describe('renderTemplate: missing values', () => {
  it('allows them where a template asks whether they exist', async () => {
    const text =
      '{{ nothing | default: "d1" }} {{ event.nothing.deeper | default: "d2" }} ' +
      '{% unless nothing %}u{% endunless %} ' +
      '{% case nothing %}{% when 1 %}one{% else %}c{% endcase %} ' +
      '{% if false %}{% elsif nothing %}no{% else %}e{% endif %} ' +
      '{% if true and nothing.x %}no{% else %}a{% endif %} ' +
      // LiquidJS reads the right side of an assign as leniently as an if: empty, not an error.
      '[{% assign copy = nothing %}{{ copy }}]';
    await expect(render(text)).resolves.toBe('d1 d2 u c e a []');
  });

  it('refuses them anywhere else, naming them', async () => {
    for (const text of [
      '{% for c in nothing %}{% endfor %}',
      '{{ "a" | append: nothing }}',
      '{{ nothing | upcase }}',
      // `default` spares a missing value only as the first filter.
      '{{ nothing | upcase | default: "x" }}',
    ]) {
      await expect(render(text), text).rejects.toThrow('"nothing" is not defined');
    }
  });
});

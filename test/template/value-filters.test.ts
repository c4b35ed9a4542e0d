/**
 * The filters for untrusted payload values, as a template author uses them: through the engine,
 * in text and HTML templates, against payloads of any shape.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTemplateContext,
  renderTemplate,
  TemplateError,
  type TemplateKind,
} from '../../src/template/index.js';
import { keepWebUrl, truncateChars } from '../../src/template/value-filters.js';

function render(text: string, event: Record<string, unknown>, kind: TemplateKind = 'text') {
  const context = buildTemplateContext({ env: {}, event, status: '' });
  return renderTemplate({ name: 'body', text }, context, kind);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const characters = (text: string) => [...graphemes.segment(text)].map(({ segment }) => segment);

describe('of_type', () => {
  it.each([
    ['text', 'a title', 'a title'],
    ['text', 57, '57'],
    ['text', false, 'false'],
    ['text', { title: 'x' }, ''],
    ['text', ['x'], ''],
    ['text', null, ''],
    ['list', ['a', 'b'], 'ab'],
    ['list', 'ab', ''],
    ['list', { 0: 'a' }, ''],
  ])("keeps a value of type '%s' only: %j", async (type, value, printed) => {
    await expect(render(`{{ event.v | of_type: '${type}' }}`, { v: value })).resolves.toBe(printed);
  });

  it('makes a value of the wrong type blank, and a missing one too', async () => {
    const text =
      "{% assign t = event.v | of_type: 'text' %}{% if t == blank %}blank{% endif %}" +
      "{% assign m = event.missing.deeper | of_type: 'text' %}{% if m == blank %} and blank{% endif %}";
    await expect(render(text, { v: { a: 1 } })).resolves.toBe('blank and blank');
  });

  it('names the types it knows when given another', async () => {
    const error = await render("{{ event.v | of_type: 'string' }}", { v: 'x' }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toContain(
      "of_type: 'string' is not a type (use 'text' or 'list')",
    );
  });
});

describe('entries', () => {
  it('lists the name and value of each key of a mapping, with an honest size', async () => {
    const text =
      '{% assign pairs = event.v | entries %}{{ pairs.size }}:' +
      '{% for pair in pairs %} {{ pair[0] }}={{ pair[1] }}{% endfor %}';
    await expect(render(text, { v: { size: 'large', region: 'eu' } })).resolves.toBe(
      '2: size=large region=eu',
    );
  });

  it.each([[['a', 'b']], ['text'], [3], [null], [{}]])('is empty for %j', async (value) => {
    const text =
      '{% assign pairs = event.v | entries %}{{ pairs.size }}{% for p in pairs %}!{% endfor %}';
    await expect(render(text, { v: value })).resolves.toBe('0');
  });
});

describe('web_url', () => {
  it.each([
    'https://github.com/acme/widgets/pull/57',
    'http://ghe.internal.example/x?y=1#z',
    'HTTPS://GITHUB.COM/',
  ])('keeps %j', (url) => expect(keepWebUrl(url)).toBe(url));

  it.each([
    'javascript:alert(1)',
    'java&#115;cript:alert(1)',
    'https&#58;//github.com/',
    'mailto:a@example.com',
    'cid:part1',
    '#top',
    '//github.com/x',
    '/x',
    'https://',
    'https:///x',
    'https://a.example/x y',
    'https://a.example/x\ny',
    'https://a.example/x>',
    'https://a.example/\u202etxt.exe',
    ' https://a.example/',
  ])('refuses %j', (url) => expect(keepWebUrl(url)).toBe(''));

  it.each([[5], [null], [['https://github.com/']], [{ href: 'https://github.com/' }]])(
    'refuses %j, which is not text',
    (value) => expect(keepWebUrl(value)).toBe(''),
  );

  it('leaves no link to nowhere in HTML: the template can test what is left', async () => {
    const text =
      '{% assign url = event.v | web_url %}' +
      '{% if url != blank %}<a href="{{ url }}">go</a>{% else %}go{% endif %}';
    await expect(render(text, { v: 'javascript:alert(1)' }, 'html')).resolves.toBe('go');
    await expect(render(text, { v: 'https://x.example/?a=1&b=2' }, 'html')).resolves.toBe(
      '<a href="https://x.example/?a&#61;1&amp;b&#61;2">go</a>',
    );
  });
});

describe('truncatechars', () => {
  it('keeps a text of at most that many characters whole, counting as a reader does', async () => {
    // 3 characters, 5 code points, 8 UTF-16 units.
    await expect(render('{{ event.v | truncatechars: 3 }}', { v: 'a🇩🇪👍🏽' })).resolves.toBe('a🇩🇪👍🏽');
  });

  it.each([
    ['🇩🇪🇫🇷🇮🇹', 3, '🇩🇪🇫🇷🇮🇹'],
    ['🇩🇪🇫🇷🇮🇹🇪🇸', 3, '🇩🇪🇫🇷…'],
    ['ab👩‍💻cd', 4, 'ab👩‍💻…'],
    ['word    and more', 6, 'word…'],
  ])('%j to %i reads %j', (text, length, expected) => {
    expect(truncateChars(text, length)).toBe(expected);
  });

  it('takes an ellipsis of its own, counted in the length, as truncate does', async () => {
    await expect(render('{{ event.v | truncatechars: 5, "--" }}', { v: 'abcdefgh' })).resolves.toBe(
      'abc--',
    );
    await expect(render('{{ event.v | truncatechars: 3, "" }}', { v: 'abcdefgh' })).resolves.toBe(
      'abc',
    );
  });

  it.each(['0, "…"', '"x"', '2, "..."'])('explains a length it cannot use (%s)', async (args) => {
    const error = await render(`{{ event.v | truncatechars: ${args} }}`, { v: 'abcdef' }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toContain('truncatechars: needs the number of characters');
  });

  it('never cuts a character in two, and cuts only what is too long', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 30 }), (value, length) => {
        const result = truncateChars(value, length);
        expect(result).not.toMatch(/\p{Cs}/u);
        if (characters(value).length <= length) {
          expect(result).toBe(value);
          return;
        }
        expect(characters(result).length).toBeLessThanOrEqual(length);
        expect(result.endsWith('…')).toBe(true);
        const kept = characters(result.slice(0, -1));
        expect(characters(value).slice(0, kept.length)).toEqual(kept);
      }),
      { numRuns: 500 },
    );
  });
});

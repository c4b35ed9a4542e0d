import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTemplate, TemplateError, type TemplateKind } from '../../src/template/index.js';
import { fixtureContext } from './template-fixtures.js';

const push = fixtureContext('push');
const MARKER = 'smtp-notify-secret-file-marker';
const folder = mkdtempSync(join(tmpdir(), 'template-fs-'));
const secretFile = join(folder, 'secret.liquid');
writeFileSync(secretFile, MARKER);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function failure(text: string, context = push, kind: TemplateKind = 'text') {
  const error: unknown = await renderTemplate({ name: 'body', text }, context, kind).then(
    (output) => new Error(`rendered: ${output.slice(0, 200)}`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe('templates cannot read files', () => {
  const attempts = [
    `{% include '${secretFile}' %}`,
    `{% render '${secretFile}' %}`,
    `{% layout '${secretFile}' %}{% block x %}{% endblock %}`,
    "{% include 'package.json' %}",
    "{% render '../../../../../../etc/passwd' %}",
    "{% include 'secret' with github %}",
  ];
  it.each(attempts)('refuses %s with advice', async (text) => {
    const error = await failure(text);
    expect(error.message).toMatch(/is not available: a template cannot read other files/);
    expect(error.message).not.toContain(MARKER);
  });

  it('refuses them in every kind, also inside a branch that is not taken', async () => {
    for (const kind of ['text', 'html', 'header'] as const) {
      await failure(`{% if false %}{% include '${secretFile}' %}{% endif %}`, push, kind);
    }
  });
});

describe('templates cannot hang the job', () => {
  it('stops a loop over a huge range', async () => {
    const error = await failure('{% for i in (1..100000000) %}{{ i }}{% endfor %}');
    expect(error.message).toContain('rendering needs too much memory');
  });

  it('stops a string built up without bound', async () => {
    const text =
      '{% assign s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" %}' +
      '{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}';
    const error = await failure(text);
    expect(error.message).toContain('rendering needs too much memory');
  });

  it('stops a render that runs too long', async () => {
    // Loops over an existing list allocate nothing, so only the clock can stop them.
    const context = { ...push, vars: { list: Array.from({ length: 2_000 }, (_, i) => i) } };
    const started = performance.now();
    const error = await failure(
      '{% for a in vars.list %}{% for b in vars.list %}{% for c in vars.list %}' +
        '{% endfor %}{% endfor %}{% endfor %}',
      context,
    );
    expect(error.message).toContain('rendering took longer than 5 seconds');
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('refuses a template too long to parse', async () => {
    const error = await failure('x'.repeat(1_000_001));
    expect(error.message).toContain('too long to parse');
  });

  it('counts the parse limit per template, not per process', async () => {
    const text = 'y'.repeat(600_000);
    for (let i = 0; i < 3; i += 1) {
      await expect(renderTemplate({ name: 'body', text }, push, 'html')).resolves.toHaveLength(
        600_000,
      );
    }
  });

  it('renders a long but reasonable template', async () => {
    const text = '{{ github.sha }}\n'.repeat(5_000);
    const output = await renderTemplate({ name: 'body', text }, push, 'text');
    expect(output.split('\n')).toHaveLength(5_001);
  });
});

describe('templates cannot exhaust memory', () => {
  it('stops a render whose output grows past the limit', async () => {
    // Each loop allocates little (a range of 2,000), but prints 100 kB each time: 200 MB.
    const text = `{% assign s = "${'y'.repeat(100_000)}" %}{% for i in (1..2000) %}{{ s }}{% endfor %}`;
    const error = await failure(text);
    expect(error.message).toMatch(/the output is longer than 5000000 characters/);
  });

  it('counts literal text in a loop as output too', async () => {
    const text = `{% for i in (1..2000) %}${'z'.repeat(100_000)}{% endfor %}`;
    const error = await failure(text);
    expect(error.message).toMatch(/the output is longer than/);
  });

  it('stops a string doubled by {% capture %}', async () => {
    const text =
      '{% assign s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" %}' +
      '{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}';
    const error = await failure(text);
    expect(error.message).toContain('rendering needs too much memory');
  });

  it('explains a template nested too deeply instead of pointing at the syntax', async () => {
    const error = await failure('{% if true %}'.repeat(20_000) + '{% endif %}'.repeat(20_000));
    expect(error.message).toContain('nests too deeply');
    expect(error.message).not.toContain('Maximum call stack');
  });
});

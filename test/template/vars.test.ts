import { describe, expect, it } from 'vitest';
import {
  renderTemplate,
  renderVars,
  TemplateError,
  type TemplateContext,
} from '../../src/template/index.js';
import { fixtureContext } from './template-fixtures.js';

const push = fixtureContext('push', 'failure');

async function failure(raw: string, context = push): Promise<TemplateError> {
  const error: unknown = await renderVars(raw, context).then(
    (vars) => new Error(`rendered: ${JSON.stringify(vars)}`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe('renderVars', () => {
  it('renders every string of a YAML mapping, nested ones too, as a template', async () => {
    const raw = [
      'team: Platform',
      'title: "{{ github.workflow }} {{ status }} on {{ github.ref_name }}"',
      'links:',
      '  run: "{{ github.run_url }}"',
      '  commits:',
      '    - "{{ event.commits[0].id | slice: 0, 7 }}"',
      '    - plain',
      'retries: 3',
      'urgent: true',
      'owner: ~',
    ].join('\n');
    await expect(renderVars(raw, push)).resolves.toEqual({
      team: 'Platform',
      title: 'CI failure on main',
      links: {
        run: 'https://github.com/acme/widgets/actions/runs/9123456789',
        commits: ['b7e4c2a', 'plain'],
      },
      retries: 3,
      urgent: true,
      owner: null,
    });
  });

  it('accepts JSON, since JSON is YAML', async () => {
    await expect(renderVars('{"who": "{{ github.actor }}", "n": [1, 2]}', push)).resolves.toEqual({
      who: 'monalisa',
      n: [1, 2],
    });
  });

  it('gives {} for an absent input', async () => {
    await expect(renderVars('', push)).resolves.toEqual({});
    await expect(renderVars('  \n', push)).resolves.toEqual({});
  });

  it('feeds templates once stored in the context', async () => {
    const vars = await renderVars('headline: "{{ github.repository }} broke"', push);
    const context: TemplateContext = { ...push, vars };
    await expect(
      renderTemplate({ name: 'subject', text: '[{{ vars.headline }}]' }, context, 'header'),
    ).resolves.toBe('[acme/widgets broke]');
  });

  it.each(['- a\n- b', 'just text', '42', '~'])(
    'refuses %j, which is not a mapping',
    async (raw) => {
      const error = await failure(raw);
      expect(error.templateName).toBe('vars');
      expect(error.message).toBe(
        'vars: expected a mapping like `key: value` (one per line) or a JSON object',
      );
    },
  );

  it('points at the line of a YAML syntax error', async () => {
    const error = await failure('a: 1\nb: [1, 2\nc: 3');
    expect(error.message).toMatch(
      /^vars, line 3, column 1: is not valid YAML: .+; expected a mapping like `key: value`/,
    );
    const duplicate = await failure('a: 1\na: 2');
    expect(duplicate.line).toBe(2);
    expect(duplicate.message).toContain('Map keys must be unique');
  });

  it('names the var whose template fails, with its own line', async () => {
    const error = await failure(
      'ok: fine\nnested:\n  list:\n    - "a"\n    - "x\\n{{ github.nope }}"',
    );
    expect(error.templateName).toBe('vars.nested.list[1]');
    expect(error.line).toBe(2);
    expect(error.message).toContain('"github.nope" is not defined');
  });

  it('does not let a var refer to another var', async () => {
    const context = { ...push, vars: { earlier: 'x' } };
    const error = await failure('a: one\nb: "{{ vars.a }}"', context);
    expect(error.templateName).toBe('vars.b');
    expect(error.message).toContain('a var cannot refer to another');
  });

  it('caps length, depth, value count and alias expansion', async () => {
    const long = await failure(`a: "${'x'.repeat(70_000)}"`);
    expect(long.message).toMatch(/^vars: is 70005 characters long, more than 65536/);
    const deep = await failure('a: '.concat('['.repeat(12), ']'.repeat(12)));
    expect(deep.message).toContain('nests deeper than 8 levels');
    const many = await failure(`a: [${Array.from({ length: 1_001 }, (_, i) => i).join(', ')}]`);
    expect(many.message).toBe('vars: holds more than 1000 values');
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefghij') {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      laughs.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const bomb = await failure(laughs.join('\n'));
    expect(bomb.message).toBe(
      'vars: expands YAML aliases (*name) into too many values; write the values out',
    );
  });

  it('ends a cycle made with YAML aliases', async () => {
    const error = await failure('a: &loop [*loop]');
    expect(error.message).toContain('nests deeper than');
  });

  it('reads YAML 1.1 tags such as !!binary as plain text, not as bytes', async () => {
    const vars = await renderVars('blob: !!binary aGVsbG8=', push);
    expect(vars).toEqual({ blob: 'aGVsbG8=' });
  });

  it('keeps a key named __proto__ as a plain key', async () => {
    const vars = await renderVars('__proto__: "{{ status }}"\nsafe: 1', push);
    expect(Object.getPrototypeOf(vars)).toBe(Object.prototype);
    expect(Object.hasOwn(vars, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(vars, '__proto__')?.value).toBe('failure');
  });
});

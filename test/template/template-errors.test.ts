import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  buildTemplateContext,
  renderTemplate,
  TemplateError,
  type TemplateKind,
} from '../../src/template/index.js';
import { fixtureContext, fixtureEnv, loadEvent } from './template-fixtures.js';

const push = fixtureContext('push');

async function failure(
  text: string,
  name = 'subject',
  kind: TemplateKind = 'text',
): Promise<TemplateError> {
  const error: unknown = await renderTemplate({ name, text }, push, kind).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe('template errors', () => {
  it('names the template, the line, the column and the misspelt variable', async () => {
    const error = await failure('Run report\n\n  {{ github.repositry }}', 'body-file docs/mail.md');
    expect(error.templateName).toBe('body-file docs/mail.md');
    expect(error.line).toBe(3);
    expect(error.column).toBe(6);
    expect(error.message).toMatch(
      /^body-file docs\/mail\.md, line 3, column 6: "github\.repositry" is not defined \(check the spelling; available in github: repository, repository_owner, sha,/,
    );
  });

  it('lists the top-level names for an unknown name', async () => {
    const error = await failure('{{ gihtub.sha }}');
    expect(error.message).toBe(
      'subject, line 1, column 4: "gihtub" is not defined (check the spelling; available: ' +
        'github, event, env, vars, status, runner, and names set by assign, capture or for)',
    );
  });

  it('suggests an {% if %} guard for an event field the payload lacks', async () => {
    const error = await failure('{{ event.pull_request.title }}', 'subject', 'header');
    // LiquidJS names the first segment that is missing, which is where the fix goes.
    expect(error.message).toContain('"event.pull_request" is not defined');
    expect(error.message).toContain('available in event: ref, before, after');
    expect(error.message).toContain('{% if event.field %}');
  });

  it('names a missing variable inside a loop with its line', async () => {
    const error = await failure('{% for c in event.commits %}\n{{ c.mesage }}\n{% endfor %}');
    expect(error.line).toBe(2);
    expect(error.message).toContain('"c.mesage" is not defined');
  });

  it('names an unknown filter', async () => {
    const error = await failure('{{ github.sha }}\n{{ github.sha | shorten }}');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(
      /"shorten" is not a filter \(check the spelling; filters are listed at https:\/\/liquidjs\.com/,
    );
  });

  it('points at a tag or output left open', async () => {
    const open = await failure('line one\n{% if status %}yes');
    expect(open.line).toBe(2);
    expect(open.message).toMatch(
      /^subject, line 2, column 1: .*if.* \(see the Liquid syntax at https:/,
    );
    const output = await failure('a\nb {{ github.sha');
    expect(output.line).toBe(2);
    expect(output.message).toContain('not closed');
  });

  it('reads no property from a prototype', async () => {
    const error = await failure('{{ github.constructor.name }}');
    expect(error.message).toContain('"github.constructor" is not defined');
    expect(error.message).toContain('run_url, commit_url, compare_url, pull_request_url)');
    await expect(failure('{{ event.commits.__proto__ }}')).resolves.toBeInstanceOf(TemplateError);
  });

  it('keeps the LiquidJS error as the cause for debugging', async () => {
    const error = await failure('{{ nope }}');
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('template errors for names a template sets itself', () => {
  it('names the misspelt field of a loop variable', async () => {
    const error = await failure('{% for c in event.commits %}{{ c.author.nme }}{% endfor %}');
    expect(error.message).toBe(
      'subject, line 1, column 32: "c.author.nme" is not defined (check the spelling of "nme")',
    );
  });

  it('says that vars cannot refer to vars when none are set', async () => {
    const error = await failure('{{ vars.title }}');
    expect(error.message).toContain('"vars.title" is not defined');
    expect(error.message).toContain('vars is empty');
    expect(error.message).toContain('a var cannot refer to another');
  });
});

describe('template errors never repeat a value from the environment', () => {
  // A workflow often passes a secret to its steps as `env: DEPLOY_KEY: ${{ secrets.KEY }}`.
  const SECRET = 'sk-live-4f9a8b7c6d5e';
  const context = buildTemplateContext({
    env: { ...fixtureEnv('push'), DEPLOY_KEY: SECRET },
    event: loadEvent('push'),
    status: 'success',
  });

  it.each([
    ['a field of a text value', '{{ env.DEPLOY_KEY.first.x }}'],
    ['a field of a text value, by index', '{{ env.DEPLOY_KEY[0].x }}'],
    ['the value used as a key', '{{ env[env.DEPLOY_KEY] }}'],
    [
      'the value used as a key of a list',
      '{% assign l = "a,b" | split: "," %}{{ l[env.DEPLOY_KEY] }}',
    ],
    ['the value as a property of where', '{{ event.commits | where: env.DEPLOY_KEY, 1 }}'],
    ['the value as a property of group_by', '{{ event.commits | group_by: env.DEPLOY_KEY }}'],
    ['the value as a time zone', '{{ "2024-01-01" | date: "%Y", env.DEPLOY_KEY }}'],
  ])('%s', async (_name, text) => {
    const error: unknown = await renderTemplate({ name: 'body', text }, context, 'text').then(
      (output) => new Error(`rendered: ${output}`),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TemplateError);
    const { message, cause } = error as TemplateError;
    expect(message).toMatch(/^body, line 1/);
    expect(message).not.toContain(SECRET);
    // Nor through the cause, which a log of the error may print with its stack.
    expect(inspect(error, { depth: 5 })).not.toContain(SECRET);
    expect(String((cause as Error | undefined)?.stack)).not.toContain(SECRET);
  });

  it('still says what the value is, without its text', async () => {
    const error: unknown = await renderTemplate(
      { name: 'body', text: '{{ env.DEPLOY_KEY.name }}' },
      context,
      'text',
    ).catch((thrown: unknown) => thrown);
    expect((error as TemplateError).message).toBe(
      'body, line 1, column 4: "env.DEPLOY_KEY.name" is not defined (check the spelling; ' +
        'env.DEPLOY_KEY is text, which has no fields)',
    );
  });
});

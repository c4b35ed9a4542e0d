// Every example in README.md, as a user would paste it: each `with:` block of this action in a
// yaml code block, with the `${{ }}` expressions GitHub would fill in replaced by realistic
// values and the action.yml defaults the runner adds, run by the built action in dry-run against
// each fixture event. The README cannot promise an input, a value or a template that the action
// refuses: when an example stops working, this test names its line.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanupActionRuns, runAction, type FixtureEvent } from '../helpers/action-run.js';
import { testCa } from '../helpers/tls-fixtures.js';

afterAll(cleanupActionRuns);

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const metadata = parse(readFileSync(new URL('action.yml', root), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

/** One `with:` of this action in the README. */
interface Example {
  /** The README line of the code block, and the heading it sits under. */
  line: number;
  heading: string;
  /** The values as written, before expressions are filled in. */
  with: Record<string, unknown>;
  /** A bare `with:` (no `uses:`): a part of a step, shown for the inputs it is about. */
  fragment: boolean;
}

interface YamlBlock {
  line: number;
  heading: string;
  text: string;
}

function yamlBlocks(markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = [];
  const lines = markdown.split('\n');
  let heading = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    if (line.trim() !== '```yaml') continue;
    const end = lines.findIndex((candidate, at) => at > i && candidate.trim() === '```');
    blocks.push({ line: i + 1, heading, text: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** This action as the README names it (`owner/smtp-notify@v1`), or the checkout (`./`). */
const OUR_USES = /(^|\/)smtp-notify@|^\.\/?$/;

/** Every mapping with a `with:` of this action, at any depth (jobs, steps, a bare `with:`). */
function findExamples(node: unknown, block: YamlBlock, found: Example[]): Example[] {
  if (Array.isArray(node)) {
    for (const item of node) findExamples(item, block, found);
  } else if (isMapping(node)) {
    const uses = node.uses;
    const ours = uses === undefined || (typeof uses === 'string' && OUR_USES.test(uses));
    if (isMapping(node.with) && ours) {
      const { line, heading } = block;
      found.push({ line, heading, with: node.with, fragment: uses === undefined });
    }
    for (const value of Object.values(node)) findExamples(value, block, found);
  }
  return found;
}

const blocks = yamlBlocks(readme);
const examples = blocks.flatMap((block) => findExamples(parse(block.text), block, []));
const nameOf = (example: Example): string => `line ${example.line} (${example.heading})`;

/**
 * What GitHub would put in place of each expression the examples use, before the action runs.
 * An expression not listed here fails the test: add a realistic value for it.
 */
const EXPRESSION_VALUES: Readonly<Record<string, string>> = {
  'secrets.SMTP_USERNAME': 'ci-bot@example.com',
  'secrets.SMTP_PASSWORD': 'correct-horse-battery',
  // Google shows app passwords in groups of four; people paste them with the spaces.
  'secrets.GMAIL_APP_PASSWORD': 'abcd efgh ijkl mnop',
  'secrets.M365_PASSWORD': 'M365-p@ss:word/1',
  'steps.token.outputs.access-token':
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzY3AiOiJTTVRQIn0.sig',
  'secrets.SES_SMTP_USERNAME': 'AKIAIOSFODNN7EXAMPLE',
  'secrets.SES_SMTP_PASSWORD': 'BJ2Sx1Uv+example/SES+smtp+password',
  'secrets.MAILGUN_SMTP_PASSWORD': 'mailgun-smtp-password-123',
  'vars.MAIL_CA_PEM': testCa,
  'secrets.MAIL_PASSWORD': 'postfix-password',
  'secrets.SMTP_URL': 'smtps://ci%40example.com:p%40ss@smtp.example.com:465',
};

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;

function fillExpressions(text: string, where: string): string {
  return text.replace(EXPRESSION, (_match, expression: string) => {
    const value = EXPRESSION_VALUES[expression];
    if (value === undefined) throw new Error(`${where}: no test value for \${{ ${expression} }}`);
    return value;
  });
}

/** A `with:` value as the runner passes it: YAML numbers and booleans as their text. */
function inputText(value: unknown, where: string): string {
  if (typeof value === 'string') return fillExpressions(value, where);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: a with: value must be a scalar, not ${JSON.stringify(value)}`);
}

/** The fixture events, each with the job status the example reports. */
const RUNS: readonly { event: FixtureEvent; status: string }[] = [
  { event: 'push', status: 'success' },
  { event: 'pull_request', status: 'failure' },
  { event: 'release', status: 'success' },
  { event: 'workflow_dispatch', status: 'cancelled' },
];

/** The action.yml defaults the runner passes for inputs a step leaves out. */
function defaultInputs(status: string): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const [name, { default: value }] of Object.entries(metadata.inputs)) {
    if (value === undefined) continue;
    defaults[name] = value === '${{ job.status }}' ? status : value;
  }
  return defaults;
}

/**
 * The step's inputs in dry-run. A fragment about templates (no server in it) gets a sender and
 * a recipient, the only inputs a dry run needs; an example that names a server must be
 * complete as written, since that is the one users copy into a workflow.
 */
function exampleInputs(example: Example, status: string): Record<string, string> {
  const where = `README ${nameOf(example)}`;
  const written = Object.fromEntries(
    Object.entries(example.with).map(([name, value]) => [name, inputText(value, where)]),
  );
  const connects = 'server' in written || 'connection-url' in written;
  const filler: Record<string, string> =
    example.fragment && !connects ? { from: 'CI <ci@example.com>', to: 'dev@example.com' } : {};
  return { ...defaultInputs(status), ...filler, ...written, mode: 'dry-run' };
}

/** Left-over Liquid: a template that printed its own syntax instead of values. */
const LIQUID_LEFTOVER = /\{\{|\}\}|\{%|%\}/;

const firstAddress = (list: AddressObject | AddressObject[] | undefined): string | undefined =>
  (Array.isArray(list) ? list[0] : list)?.value[0]?.address;

/** The bare address of a `from` input: `CI <ci@example.com>` -> `ci@example.com`. */
const addressOf = (mailbox: string): string => /<([^>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox;

async function runExample(example: Example, event: FixtureEvent, status: string) {
  const inputs = exampleInputs(example, status);
  const run = await runAction({ event, inputs });
  const context = `${nameOf(example)} on ${event}:\n${run.stdout}\n${run.stderr}`;
  expect(run.exitCode, context).toBe(0);
  expect(run.stdout, context).not.toMatch(/^::(error|warning)::/m);
  expect(run.outputs.result, context).toBe('dry-run');
  const mail = await simpleParser(await readFile(run.outputs['eml-path'] ?? ''));
  expect(firstAddress(mail.from), context).toBe(addressOf(inputs.from ?? ''));
  expect(mail.subject ?? '', context).not.toBe('');
  for (const part of [mail.subject, mail.text, typeof mail.html === 'string' ? mail.html : '']) {
    expect(part ?? '', context).not.toMatch(LIQUID_LEFTOVER);
  }
  if (inputs.markdown === 'true') expect(mail.html, context).toEqual(expect.any(String));
  return { run, mail };
}

describe('README examples', () => {
  it('are found: every yaml block holds at least one with: of this action', () => {
    const withoutExample = blocks.filter(
      (block) => !examples.some((example) => example.line === block.line),
    );
    expect(withoutExample.map((block) => `line ${block.line} (${block.heading})`)).toEqual([]);
    // Quick start, outputs, 7 providers, connection-url, templates, vars, dry run.
    expect(examples.length).toBeGreaterThanOrEqual(13);
  });

  it.each(examples.map((example) => [nameOf(example), example] as const))(
    '%s uses only inputs action.yml declares',
    (_name, example) => {
      const unknown = Object.keys(example.with).filter((name) => !(name in metadata.inputs));
      expect(unknown).toEqual([]);
    },
  );

  it.each(examples.map((example) => [nameOf(example), example] as const))(
    '%s renders in dry-run for every fixture event',
    async (_name, example) => {
      await Promise.all(RUNS.map(({ event, status }) => runExample(example, event, status)));
    },
  );

  it('no run: step pastes an expression into its script (outputs reach scripts through env:)', () => {
    const runSteps = blocks.flatMap((block) => {
      const steps: string[] = [];
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(visit);
        else if (isMapping(node)) {
          if (typeof node.run === 'string') steps.push(`line ${block.line}: ${node.run}`);
          Object.values(node).forEach(visit);
        }
      };
      visit(parse(block.text));
      return steps;
    });
    expect(runSteps.length).toBeGreaterThan(0);
    expect(runSteps.filter((step) => step.includes('${{'))).toEqual([]);
  });
});

describe('README examples, what they promise', () => {
  const under = (heading: string): Example => {
    const example = examples.find((candidate) => candidate.heading === heading);
    if (example === undefined) throw new Error(`README: no example under "${heading}"`);
    return example;
  };

  it('the template example: subject from vars, Markdown table rendered, the pushed commits', async () => {
    const { mail } = await runExample(under('Templates'), 'push', 'success');
    expect(mail.subject).toBe('acme/widgets: deployed main to production');
    expect(mail.text).toContain('**CI** finished with status **success**.');
    expect(mail.text).toContain('| Commit | [0d1a26e](https://github.com/acme/widgets/commit/');
    expect(mail.text).toMatch(/^- Parse retry-after .*\(/m);
    expect(mail.html).toMatch(/<table[ >]/);
    expect(mail.html).toContain('<strong>CI</strong>');
  });

  it('the vars example: strings are templates, lists join', async () => {
    const { mail } = await runExample(under('`vars`'), 'push', 'success');
    expect(mail.subject).toBe('Deployed to production');
    expect(mail.text).toContain(
      'Dashboard: https://grafana.example.com/d/ci?var-sha=0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
    );
    expect(mail.text).toContain('Owners: alice@example.com, bob@example.com');
  });

  it('the quick start sends the run report with the status from action.yml', async () => {
    const quickStart = under('Quick start');
    expect(quickStart.with).not.toHaveProperty('status');
    const { mail } = await runExample(quickStart, 'push', 'failure');
    expect(mail.subject).toBe('❌ acme/widgets: CI failed on main (#42)');
  });

  it('the private CA example also works with tls-ca as a workspace path, as its comment says', async () => {
    const example = under('Your own server (Postfix and others)');
    const comment = /tls-ca: (\S+) \(after actions\/checkout\)/.exec(readme)?.[1] ?? '';
    expect(comment).toBe('.github/mail-ca.pem');
    const inputs = { ...exampleInputs(example, 'success'), 'tls-ca': comment };
    const run = await runAction({ inputs, files: { [comment]: testCa } });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('dry-run');
  });
});

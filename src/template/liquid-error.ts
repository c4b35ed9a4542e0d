/**
 * Turns what LiquidJS throws into a TemplateError that names the template, the line and column,
 * and what to do. LiquidJS messages end in `, line:2, col:6`; we take the position from the
 * token instead and rephrase the problem in the user's terms.
 *
 * A message shows the template's own text and the names in the context, never a value: the
 * environment a template sees often holds a secret a workflow passed to its steps
 * (`env: DEPLOY_KEY: ${{ secrets.KEY }}`), and an error message ends up in the log and the job
 * summary. See redactValues for the net under that rule.
 */
import { inspect } from 'node:util';
import { LiquidError } from 'liquidjs';
import { CONTEXT_NAMES, type TemplateContext } from './context.js';
import { OUTPUT_LIMIT_MESSAGE, RefusedTagError, TEMPLATE_LIMITS } from './liquid-engine.js';
import type { TemplateSource } from './render.js';
import { TemplateError, type TemplatePosition } from './template-error.js';

const SYNTAX_HELP = 'see the Liquid syntax at https://liquidjs.com/tutorials/intro-to-liquid.html';
const FILTER_HELP =
  'check the spelling; filters are listed at https://liquidjs.com/filters/overview.html';
const MAX_LISTED_KEYS = 25;
/** Environment values this long or longer are never shown in an error (see redactValues). */
const MIN_REDACTED_LENGTH = 6;

export function toTemplateError(
  error: unknown,
  source: TemplateSource,
  context: TemplateContext,
): TemplateError {
  if (error instanceof TemplateError) return error;
  const redact = redactValues(context.env);
  let problem: string;
  let position: TemplatePosition | undefined;
  if (LiquidError.is(error)) {
    problem = describeProblem(error, source.text, context);
    position = readPosition(error);
  } else {
    // The parse length limit is checked before there is a token, so it arrives unwrapped.
    const message = error instanceof Error ? error.message : String(error);
    problem = describeLimit(message) ?? `${message} (${SYNTAX_HELP})`;
  }
  // The cause keeps LiquidJS's own message and stack for debugging, unless they show a value
  // (or the template's own text holds one, which is too close to call).
  const details = inspect(error);
  const cause = redact(details) === details ? { cause: error } : undefined;
  return new TemplateError(source.name, redact(problem), position, cause);
}

/**
 * The runner's facts that `github` and `runner` print freely, so no secret. Left in the net, they
 * would cut words out of the message itself: on a pull request run GITHUB_EVENT_NAME is
 * `pull_request`, and "event.pull_request.titel is not defined" would read "event.***.titel".
 * Named one by one: a workflow may set a GITHUB_-like name of its own to a secret.
 */
const RUNNER_FACTS: ReadonlySet<string> = new Set([
  'GITHUB_ACTOR',
  'GITHUB_BASE_REF',
  'GITHUB_EVENT_NAME',
  'GITHUB_HEAD_REF',
  'GITHUB_JOB',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_REF_TYPE',
  'GITHUB_REPOSITORY',
  'GITHUB_REPOSITORY_OWNER',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_SERVER_URL',
  'GITHUB_SHA',
  'GITHUB_TRIGGERING_ACTOR',
  'GITHUB_WORKFLOW',
  'RUNNER_ARCH',
  'RUNNER_ENVIRONMENT',
  'RUNNER_NAME',
  'RUNNER_OS',
]);

/**
 * Replaces every environment value of 6 characters or more with `***`: a last net for the
 * messages of LiquidJS filters, which may quote an argument (`date: "%Y", env.KEY` says
 * "Invalid time zone specified: <the value>"). Shorter values (`true`, `main`, `X64`) are too
 * common in ordinary text to take out, and rarely a credential.
 */
function redactValues(env: Readonly<Record<string, string>>): (text: string) => string {
  const secretCandidates = Object.entries(env)
    .filter(([name]) => !RUNNER_FACTS.has(name))
    .map(([, value]) => value);
  const values = [...new Set(secretCandidates)]
    .filter((value) => value.length >= MIN_REDACTED_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => values.reduce((result, value) => result.replaceAll(value, '***'), text);
}

function readPosition(error: LiquidError): TemplatePosition | undefined {
  const [line, column] = error.token.getPosition();
  if (line === undefined) return undefined;
  return column === undefined ? { line } : { line, column };
}

function describeProblem(error: LiquidError, text: string, scope: object): string {
  const original = error.originalError;
  const missing = readMissingVariable(original);
  if (missing !== undefined) return describeMissing(missing, text, scope);
  const message = stripPosition(original?.message ?? error.message);
  const filter = /^undefined filter: (.+)$/.exec(message);
  if (filter !== null) return `"${filter[1]}" is not a filter (${FILTER_HELP})`;
  if (original instanceof RefusedTagError) return message;
  const limit = describeLimit(message);
  if (limit !== undefined) return limit;
  return `${message} (${SYNTAX_HELP})`;
}

function readMissingVariable(error: Error | undefined): string | undefined {
  if (error === undefined || !('variableName' in error)) return undefined;
  return typeof error.variableName === 'string' ? error.variableName : undefined;
}

function stripPosition(message: string): string {
  return message.replace(/, line:\d+, col:\d+$/, '');
}

function describeLimit(message: string): string | undefined {
  switch (message) {
    case 'parse length limit exceeded':
      return `the template is too long to parse (more than ${TEMPLATE_LIMITS.parseLength} characters)`;
    case 'template render limit exceeded':
      return (
        `rendering took longer than ${TEMPLATE_LIMITS.renderMs / 1000} seconds (look for a loop ` +
        'over too many items; `limit:` caps a for loop)'
      );
    case 'memory alloc limit exceeded':
    case 'Invalid string length':
      return (
        'rendering needs too much memory (look for a loop over a huge range or a string built ' +
        'up without bound; `limit:` caps a for loop)'
      );
    case OUTPUT_LIMIT_MESSAGE:
      return (
        `the output is longer than ${TEMPLATE_LIMITS.outputLength} characters (look for a loop ` +
        'that prints more than a message needs; `limit:` caps a for loop)'
      );
    case 'Maximum call stack size exceeded':
      return 'the template nests too deeply (tags inside tags); flatten the if and for blocks';
    default:
      return undefined;
  }
}

/**
 * `"github.repositry" is not defined (check the spelling; available in github: ...)`. LiquidJS
 * names the path up to the first segment that is missing, so everything before the last
 * segment exists: list its keys, and the fix is usually in the list. A segment that is not in
 * the template's text came from a value (`env[env.KEY]`, `where: env.KEY`) and is not shown.
 */
function describeMissing(path: string, text: string, scope: object): string {
  const segments = splitPath(path);
  if (!segments.every((segment) => text.includes(segment))) {
    const shown = segments.map((segment) => (text.includes(segment) ? `.${segment}` : '[…]'));
    const display = shown.join('').replace(/^\./, '');
    return `"${display}" is not defined (the part shown as […] is a key taken from a value)`;
  }
  const last = segments[segments.length - 1] ?? path;
  if (segments.length > 1 && !Object.hasOwn(scope, segments[0] ?? '')) {
    // A name from {% for %}, {% assign %} or {% capture %}: its keys are not in our scope.
    return `"${path}" is not defined (check the spelling of "${last}")`;
  }
  const parent = segments.slice(0, -1);
  const hints = ['check the spelling', listAvailable(parent.join('.'), lookUp(scope, parent))];
  if (segments[0] === 'event') {
    hints.push('a field only some events have can be guarded with {% if event.field %}');
  }
  if (segments[0] === 'vars' && segments.length <= 2) {
    hints.push('vars holds the keys of the `vars` input, and a var cannot refer to another');
  }
  return `"${path}" is not defined (${hints.join('; ')})`;
}

function lookUp(scope: object, segments: readonly string[]): unknown {
  let value: unknown = scope;
  for (const segment of segments) {
    if (!isIndexable(value) || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function listAvailable(where: string, value: unknown): string {
  if (where === '') {
    return `available: ${CONTEXT_NAMES.join(', ')}, and names set by assign, capture or for`;
  }
  if (Array.isArray(value)) return `${where} is a list of ${value.length}`;
  if (!isIndexable(value)) return `${where} ${describeKind(value)}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return `${where} is empty`;
  const shown = keys.slice(0, MAX_LISTED_KEYS).join(', ');
  const more = keys.length > MAX_LISTED_KEYS ? `, and ${keys.length - MAX_LISTED_KEYS} more` : '';
  return `available in ${where}: ${shown}${more}`;
}

/** What a value is, never what it says: it may be a secret from the environment. */
function describeKind(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'is text, which has no fields';
    case 'number':
      return 'is a number, which has no fields';
    case 'boolean':
      return 'is true or false, which has no fields';
    default:
      return value === null ? 'is null, which has no fields' : 'has no fields';
  }
}

function splitPath(path: string): string[] {
  return (path.match(/[^.[\]]+/g) ?? []).map((segment) => segment.replace(/^(["'])(.*)\1$/, '$2'));
}

function isIndexable(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

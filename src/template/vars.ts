/**
 * The `vars` input: extra template values a workflow author defines once and uses in the
 * subject and bodies. It is YAML (so JSON too), must be a mapping, and every string in it is
 * itself a text template, so `title: "{{ github.workflow }} on {{ github.ref_name }}"` works.
 */
import { parseDocument, type YAMLError } from 'yaml';
import type { TemplateContext } from './context.js';
import { renderWithFlavour } from './render.js';
import { TemplateError } from './template-error.js';

/** Bounds on the `vars` input; it is workflow text, not a data file. */
const VARS_LIMITS = {
  /** Characters of YAML. */
  length: 65_536,
  /** Levels of nested mappings and lists below the top mapping. */
  depth: 8,
  /** Values (strings, numbers, ...) in all. */
  values: 1_000,
  /** YAML aliases (`*name`): each can copy a whole subtree, the "billion laughs" attack. */
  aliases: 100,
} as const;

const SHAPE_ADVICE = 'expected a mapping like `key: value` (one per line) or a JSON object';

/**
 * Parses the `vars` input and renders every string in it, however deeply nested, as a text
 * template named `vars.<key>` (`vars.list[0]` in a list). They render against the context
 * without vars: a var cannot refer to another, so there is no order or cycle to resolve.
 */
export async function renderVars(
  raw: string,
  context: TemplateContext,
): Promise<Record<string, unknown>> {
  if (raw.trim() === '') return {};
  if (raw.length > VARS_LIMITS.length) {
    throw new TemplateError(
      'vars',
      `is ${raw.length} characters long, more than ${VARS_LIMITS.length} (keep long text in a ` +
        'body-file template instead)',
    );
  }
  const parsed = parseVars(raw);
  if (!isMapping(parsed)) throw new TemplateError('vars', SHAPE_ADVICE);
  const walk = new VarsWalk({ ...context, vars: {} });
  return (await walk.render(parsed, 'vars', 0)) as Record<string, unknown>;
}

function parseVars(raw: string): unknown {
  const options = { uniqueKeys: true, maxAliasCount: VARS_LIMITS.aliases } as const;
  // Plain YAML 1.2 core values only: no !!binary buffers or other language-specific types.
  const document = parseDocument(raw, { ...options, schema: 'core', resolveKnownTags: false });
  const [error] = document.errors;
  if (error !== undefined) throw toVarsError(error);
  try {
    return document.toJS(options);
  } catch (error) {
    // toJS throws when the aliases would expand past maxAliasCount.
    const problem = 'expands YAML aliases (*name) into too many values';
    throw new TemplateError('vars', `${problem}; write the values out`, undefined, {
      cause: error,
    });
  }
}

function toVarsError(error: YAMLError): TemplateError {
  const problem = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
  const position = error.linePos?.[0];
  return new TemplateError(
    'vars',
    `is not valid YAML: ${problem}; ${SHAPE_ADVICE}`,
    position === undefined ? undefined : { line: position.line, column: position.col },
    { cause: error },
  );
}

class VarsWalk {
  #values = 0;
  readonly #context: TemplateContext;

  constructor(context: TemplateContext) {
    this.#context = context;
  }

  async render(value: unknown, path: string, depth: number): Promise<unknown> {
    if (Array.isArray(value) || isMapping(value)) {
      // A cycle (`a: &x [*x]`) is infinitely deep, so this bound also ends it.
      if (depth > VARS_LIMITS.depth) {
        throw new TemplateError(path, `nests deeper than ${VARS_LIMITS.depth} levels`);
      }
      return this.#renderContainer(value, path, depth);
    }
    this.#values += 1;
    if (this.#values > VARS_LIMITS.values) {
      throw new TemplateError('vars', `holds more than ${VARS_LIMITS.values} values`);
    }
    if (typeof value === 'string') {
      return renderWithFlavour({ name: path, text: value }, this.#context, 'text');
    }
    if (value === null || ['number', 'boolean'].includes(typeof value)) return value;
    throw new TemplateError(path, 'holds a value that is not text, a number, true/false or null');
  }

  async #renderContainer(value: unknown[] | object, path: string, depth: number) {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const [index, item] of value.entries()) {
        items.push(await this.render(item, `${path}[${index}]`, depth + 1));
      }
      return items;
    }
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      entries.push([key, await this.render(item, `${path}.${key}`, depth + 1)]);
    }
    // fromEntries defines own properties, so a key named `__proto__` stays a plain key.
    return Object.fromEntries(entries);
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

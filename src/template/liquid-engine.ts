/**
 * The LiquidJS engines, one per output flavour (the escape applied to every `{{ }}` is an engine
 * option), created on first use and shared: an engine holds no per-render state.
 */
import { CaptureTag, Liquid, type Context, type FS } from 'liquidjs';
import { escapeHtml, escapeMarkdown, flattenHeader, formatValue } from './output-format.js';
import { dropUnsafeUrls } from './safe-url.js';
import { VALUE_FILTERS } from './value-filters.js';

/** `markdown` is internal: the HTML part of a Markdown body (see markdown.ts). */
export type OutputFlavour = 'text' | 'html' | 'header' | 'markdown';

/** Templates come from workflow files and the runner is shared with the job: keep them bounded. */
export const TEMPLATE_LIMITS = {
  /** Characters of template source per parse. */
  parseLength: 1_000_000,
  /** Milliseconds per render; checked between template nodes. */
  renderMs: 5_000,
  /** LiquidJS allocation units per render (range items, string lengths of append, join...). */
  memory: 20_000_000,
  /**
   * Characters a render may write. A loop can print a long value or long literal text many times
   * over while allocating nothing the memory limit counts (200 MB in two seconds otherwise).
   */
  outputLength: 5_000_000,
} as const;

/** The message of the error the output limit throws; liquid-error.ts explains it. */
export const OUTPUT_LIMIT_MESSAGE = 'output length limit exceeded';

/** Thrown by the tags we switch off (include, render, layout): the message is already advice. */
export class RefusedTagError extends Error {
  override readonly name = 'RefusedTagError';
}

const ESCAPES: Record<OutputFlavour, (value: unknown) => string> = {
  text: formatValue,
  // The header flattening applies to the whole result (finishOutput), not to each value.
  header: formatValue,
  html: (value) => escapeHtml(formatValue(value)),
  markdown: (value) => escapeMarkdown(formatValue(value)),
};

const engines = new Map<OutputFlavour, Liquid>();

export function getEngine(flavour: OutputFlavour): Liquid {
  let engine = engines.get(flavour);
  if (engine === undefined) {
    engine = createEngine(flavour);
    engines.set(flavour, engine);
  }
  return engine;
}

/** Applies the whole-result rule of a flavour: a header is one line, HTML links nowhere unsafe. */
export function finishOutput(flavour: OutputFlavour, output: string): string {
  if (flavour === 'header') return flattenHeader(output);
  // The markdown flavour's output is Markdown; markdown.ts checks the HTML marked makes of it.
  return flavour === 'html' ? dropUnsafeUrls(output) : output;
}

function createEngine(flavour: OutputFlavour): Liquid {
  const engine = new Liquid({
    strictVariables: true,
    // A missing value in {% if %}, {% unless %} or `| default` is false or empty, not an error:
    // templates guard fields only some events have with it.
    lenientIf: true,
    strictFilters: true,
    // Only own properties: no `constructor`, `__proto__` or prototype methods reachable.
    ownPropertyOnly: true,
    outputEscape: ESCAPES[flavour],
    // No file system: templates are single strings; the tags that read files are refused at
    // parse time, and the loader behind them could read nothing anyway.
    fs: NO_FILES,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    dynamicPartials: false,
    cache: false,
    parseLimit: TEMPLATE_LIMITS.parseLength,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory,
  });
  for (const tag of ['include', 'render', 'layout']) engine.registerTag(tag, refuseTag(tag));
  engine.registerTag('capture', CountedCaptureTag);
  for (const [name, filter] of Object.entries(VALUE_FILTERS)) engine.registerFilter(name, filter);
  return engine;
}

/**
 * {% capture %} renders into a string of its own that the memory limit does not see, so
 * `{% capture s %}{{ s }}{{ s }}{% endcapture %}` in a loop doubled a string without bound
 * until V8 gave up with "Invalid string length". Each capture now counts its length.
 */
class CountedCaptureTag extends CaptureTag {
  override *render(context: Context): Generator<unknown, void, string> {
    yield* super.render(context);
    const captured: unknown = context.bottom()[this.variable];
    context.memoryLimit.use(typeof captured === 'string' ? captured.length : 0);
  }
}

// LiquidJS does not export the name of its tag-definition object type.
type TagDefinition = Parameters<Liquid['registerTag']>[1];

function refuseTag(tag: string): TagDefinition {
  return {
    parse() {
      throw new RefusedTagError(
        `{% ${tag} %} is not available: a template cannot read other files (put the text in ` +
          'this template, or pass values in through the `vars` input)',
      );
    },
    render() {
      return '';
    },
  };
}

function refuseFile(file: string): RefusedTagError {
  return new RefusedTagError(`"${file}": templates cannot read files`);
}

const NO_FILES: FS = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: (file) => Promise.reject(refuseFile(file)),
  readFileSync: (file) => {
    throw refuseFile(file);
  },
  resolve: (_dir, file) => file,
  contains: () => Promise.resolve(false),
  containsSync: () => false,
};

/**
 * Renders one template (a subject, a body, a var) against the context with LiquidJS, the syntax
 * of GitHub Pages and Jekyll, and turns every failure into a TemplateError that points at the
 * template and line.
 */
import { Context, toPromise, type Emitter } from 'liquidjs';
import type { TemplateContext } from './context.js';
import { toTemplateError } from './liquid-error.js';
import {
  finishOutput,
  getEngine,
  OUTPUT_LIMIT_MESSAGE,
  TEMPLATE_LIMITS,
  type OutputFlavour,
} from './liquid-engine.js';
import { formatValue } from './output-format.js';

/** Where a template came from, for error messages: 'subject', 'body', 'body-file docs/mail.md'. */
export interface TemplateSource {
  name: string;
  text: string;
}

/**
 * - `text`: values printed as they are.
 * - `html`: every `{{ }}` value HTML-escaped, since a pull request title or a commit message is
 *   text anyone can write. `{{ value | raw }}` prints a value unescaped; whoever writes that in a
 *   template takes on making sure the value is trusted HTML. A `{% capture %}` block is
 *   escaped as it renders, so print it with `| raw` (printing it plainly escapes it twice).
 *   Then every URL attribute (`href`, `src`...) whose URL is not http, https, mailto, tel, cid
 *   or relative is dropped, whoever wrote it: no `javascript:` link from a forged payload.
 * - `header`: no escaping, then every run of white space, control characters or Unicode
 *   separators (CR, LF, tabs, NEL, U+2028, U+00A0...) becomes one space, the ends are trimmed,
 *   and a result over 998 characters is cut (ending in `…`): a header is one line.
 *
 * Objects print as JSON, not `[object Object]` (see formatValue).
 *
 * A missing variable is an error naming it and its line, except where a template asks whether it
 * exists: `{% if %}`, `{% elsif %}`, `{% unless %}`, `{% case %}`, the right side of
 * `{% assign %}`, and `{{ missing | default: 'x' }}` when `default` is the first filter.
 */
export type TemplateKind = 'text' | 'html' | 'header';

export function renderTemplate(
  source: TemplateSource,
  context: TemplateContext,
  kind: TemplateKind,
): Promise<string> {
  return renderWithFlavour(source, context, kind);
}

/** renderTemplate plus the internal `markdown` flavour; for this folder only. */
export async function renderWithFlavour(
  source: TemplateSource,
  context: TemplateContext,
  flavour: OutputFlavour,
): Promise<string> {
  const engine = getEngine(flavour);
  try {
    const templates = engine.parse(source.text);
    // A copy per render: {% increment %} and {% decrement %} write their counters into the
    // object given to LiquidJS (where {% assign %} writes to a scope of its own), and a subject
    // with `{% increment status %}` must not change what the body sees.
    const scope = new Context({ ...context }, engine.options, {}, { liquid: engine });
    const emitter = new BoundedEmitter();
    await toPromise(engine.renderer.renderTemplates(templates, scope, emitter));
    return finishOutput(flavour, emitter.buffer);
  } catch (error) {
    throw toTemplateError(error, source, context);
  }
}

/** Collects the output, and stops a render that writes more than the output limit. */
class BoundedEmitter implements Emitter {
  buffer = '';

  write(html: unknown): void {
    // A value printed with `| raw` arrives as it is; print it the way every other value prints.
    this.buffer += typeof html === 'string' ? html : formatValue(html);
    if (this.buffer.length > TEMPLATE_LIMITS.outputLength) throw new Error(OUTPUT_LIMIT_MESSAGE);
  }
}

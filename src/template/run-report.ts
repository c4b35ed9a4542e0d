/**
 * The message sent when a workflow gives no body: a run report (HTML and plain text) and a
 * default subject. Each is a Liquid template rendered by the same engine, with the same
 * escaping, as a user's own templates, so a user can copy one as a starting point.
 */
import type { TemplateContext } from './context.js';
import { renderTemplate } from './render.js';
import { RUN_REPORT_HTML_TEMPLATE } from './run-report-html.js';
import { RUN_REPORT_TEXT_TEMPLATE } from './run-report-text.js';
import { RUN_STATUS_LIQUID } from './run-status.js';

/**
 * `✅ owner/repo: CI passed on main (#42)`; for a pull request `… on PR #12 "Title" (#42)`.
 * Rendered with the `header` kind, so line breaks in a title collapse to spaces and nothing is
 * escaped (a subject is text, not markup). The title is not cut: a pull request title is short
 * already, and the MIME layer folds a long subject (RFC 5322 2.2.3).
 */
const DEFAULT_SUBJECT_TEMPLATE = `${RUN_STATUS_LIQUID}{{ status_emoji }}
{% if github.repository != blank %}{{ github.repository }}:{% endif %}
{{ run_title }}
{%- if pull_title != blank %} "{{ pull_title }}"{% endif %}
{% if github.run_number != blank %}(#{{ github.run_number }}){% endif %}`;

/** Renders the default report: the HTML part and its plain-text alternative. */
export async function renderRunReport(
  ctx: TemplateContext,
): Promise<{ text: string; html: string }> {
  const [text, html] = await Promise.all([
    renderTemplate({ name: 'run report (text)', text: RUN_REPORT_TEXT_TEMPLATE }, ctx, 'text'),
    renderTemplate({ name: 'run report (html)', text: RUN_REPORT_HTML_TEMPLATE }, ctx, 'html'),
  ]);
  return { text, html };
}

/** Renders the default subject, one line with no markup. */
export function renderDefaultSubject(ctx: TemplateContext): Promise<string> {
  return renderTemplate({ name: 'default subject', text: DEFAULT_SUBJECT_TEMPLATE }, ctx, 'header');
}

/** The public surface of the template engine; every other module in this folder is private. */

export {
  buildTemplateContext,
  type ContextSource,
  type GitHubInfo,
  type RunnerInfo,
  type TemplateContext,
} from './context.js';
export { renderTemplate, type TemplateKind, type TemplateSource } from './render.js';
export { renderMarkdown } from './markdown.js';
export { renderVars } from './vars.js';
export { TemplateError } from './template-error.js';
export { escapeHtml } from './output-format.js';
export { renderDefaultSubject, renderRunReport } from './run-report.js';

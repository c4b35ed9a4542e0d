/**
 * Everything a send needs that can fail on the user's input, done before any connection: the
 * template context, `vars`, the subject and bodies, the attachments, the composed bytes. A
 * mistake in any of them stops the step with nothing sent.
 */

import type { ComposedMessage } from '../mime/index.js';
import {
  buildTemplateContext,
  renderDefaultSubject,
  renderMarkdown,
  renderRunReport,
  renderTemplate,
  renderVars,
  type TemplateContext,
} from '../template/index.js';
import { collectAttachments, type CollectedAttachments } from './attachments.js';
import { readEventPayload } from './event-payload.js';
import { buildMessageInput, composeActionMessage, type RenderedParts } from './message.js';
import type { Settings } from './settings.js';

export interface PreparedMessage {
  composed: ComposedMessage;
  context: TemplateContext;
  parts: RenderedParts;
  attachments: CollectedAttachments;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Runs every step in the order a user would fix them: context, vars, templates, files, MIME. */
export async function prepareMessage(settings: Settings, env: Env): Promise<PreparedMessage> {
  const event = await readEventPayload(env);
  const context = buildTemplateContext({ env, event, status: settings.status });
  if (settings.vars.trim() !== '') context.vars = await renderVars(settings.vars, context);
  const parts = await renderParts(settings.message, context);
  const attachments = await collectAttachments(settings.attachments, settings.workspace);
  const input = buildMessageInput(settings.message, parts, attachments.attachments, context.github);
  return { composed: composeActionMessage(input), context, parts, attachments };
}

/**
 * The subject and bodies. With no body of any kind, the run report; with no subject (or an
 * empty one), the default subject. Markdown gives both parts from one template (readSettings
 * refuses markdown together with an HTML body).
 */
async function renderParts(
  message: Settings['message'],
  context: TemplateContext,
): Promise<RenderedParts> {
  const subject =
    message.subject === undefined || message.subject.text.trim() === ''
      ? await renderDefaultSubject(context)
      : await renderTemplate(message.subject, context, 'header');
  const { body, htmlBody } = message;
  if (body === undefined && htmlBody === undefined) {
    return { subject, ...(await renderRunReport(context)) };
  }
  if (body !== undefined && message.markdown) {
    return { subject, ...(await renderMarkdown(body, context)) };
  }
  const html = htmlBody === undefined ? undefined : await renderTemplate(htmlBody, context, 'html');
  const text = body === undefined ? undefined : await renderTemplate(body, context, 'text');
  return { subject, text, html };
}

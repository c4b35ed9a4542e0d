/**
 * From the action's settings and rendered templates to the composer's MessageInput, and the
 * composer's field names back to the action's input names when it refuses something.
 */

import {
  composeMessage,
  MimeInputError,
  parseAddressList,
  type AttachmentInput,
  type ComposedMessage,
  type MessageInput,
} from '../mime/index.js';
import type { GitHubInfo } from '../template/index.js';
import { fromMimeInputError } from './action-input-error.js';
import { Inputs } from './constants.js';
import type { Settings } from './settings.js';
import { createThreadHeaders } from './thread.js';

/** Subject and bodies after their templates ran. */
export interface RenderedParts {
  subject: string;
  /** Undefined: an HTML-only message. */
  text: string | undefined;
  /** Undefined: a text-only message. */
  html: string | undefined;
}

/** Builds what the composer needs; composing (and its checks) happens in `composeActionMessage`. */
export function buildMessageInput(
  message: Settings['message'],
  parts: RenderedParts,
  attachments: readonly AttachmentInput[],
  github: GitHubInfo,
): MessageInput {
  const thread = createThreadHeaders(github, {
    thread: message.thread,
    inReplyTo: message.inReplyTo,
  });
  return {
    from: message.from,
    ...optional('to', message.to),
    ...optional('cc', message.cc),
    ...optional('bcc', message.bcc),
    ...optional('replyTo', message.replyTo),
    subject: parts.subject,
    ...(parts.text === undefined ? {} : { text: parts.text }),
    ...(parts.html === undefined ? {} : { html: parts.html }),
    attachments,
    headers: message.headers,
    // Normal is what a reader assumes without the headers: only a real choice is written.
    ...(message.priority === 'normal' ? {} : { priority: message.priority }),
    ...(thread.inReplyTo === undefined ? {} : { inReplyTo: thread.inReplyTo }),
    references: thread.references,
  };
}

/** Composes the message; a refusal becomes an ActionInputError naming the action's input. */
export function composeActionMessage(input: MessageInput): ComposedMessage {
  try {
    return composeMessage(input);
  } catch (error) {
    if (!(error instanceof MimeInputError)) throw error;
    throw fromMimeInputError(error, inputForField(error.field));
  }
}

/** The composer's field (`replyTo`, `headers[2]`, `attachments[0].filename`) as an input name. */
export function inputForField(field: string): string {
  const base = /^[A-Za-z]+/.exec(field)?.[0] ?? field;
  const names: Record<string, string> = {
    from: Inputs.from,
    to: Inputs.to,
    cc: Inputs.cc,
    bcc: Inputs.bcc,
    replyTo: Inputs.replyTo,
    subject: Inputs.subject,
    text: Inputs.body,
    html: Inputs.htmlBody,
    headers: Inputs.headers,
    priority: Inputs.priority,
    inReplyTo: Inputs.inReplyTo,
    references: Inputs.thread,
    attachments: Inputs.attachments,
    messageIdDomain: Inputs.from,
  };
  return names[base] ?? field;
}

/** The envelope addresses of the `bcc` input, which the summary shows only as a count. */
export function listBccAddresses(bcc: string): string[] {
  return bcc.trim() === '' ? [] : parseAddressList(bcc, Inputs.bcc).map((m) => m.address);
}

function optional<K extends 'to' | 'cc' | 'bcc' | 'replyTo'>(
  key: K,
  value: string,
): Partial<Record<K, string>> {
  return value.trim() === '' ? {} : ({ [key]: value } as Partial<Record<K, string>>);
}

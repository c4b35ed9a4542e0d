/**
 * The message inputs: addresses, templates (inline or from a workspace file), extra headers,
 * priority and threading. Addresses are parsed here only to report a bad one by input name;
 * the raw lists go on to the composer, which parses them again.
 */
import { isMessageId, MimeInputError, parseAddressList, parseMailbox } from '../mime/index.js';
import type { TemplateSource } from '../template/index.js';
import { ActionInputError, fromMimeInputError } from './action-input-error.js';
import {
  Choices,
  Defaults,
  Inputs,
  type InputName,
  type Mode,
  type Priority,
} from './constants.js';
import { parseHeaderLines } from './header-lines.js';
import { splitLines, type InputReader } from './input-reader.js';
import { readWorkspaceFile } from './workspace-file.js';

export interface MessageSettings {
  /** Address lists as given, line breaks turned into commas; '' when absent. */
  from: string;
  to: string;
  cc: string;
  bcc: string;
  replyTo: string;
  subject: TemplateSource | undefined;
  /** From `body` or `body-file`. */
  body: TemplateSource | undefined;
  /** From `html-body` or `html-body-file`. */
  htmlBody: TemplateSource | undefined;
  markdown: boolean;
  headers: [string, string][];
  priority: Priority;
  /** `<id@domain>`, angle brackets added when the input had none. */
  inReplyTo: string | undefined;
  thread: boolean;
}

export async function readMessageSettings(
  reader: InputReader,
  workspace: string,
  mode: Mode,
): Promise<MessageSettings> {
  const addresses = readAddresses(reader, mode);
  const subject = reader.text(Inputs.subject);
  const markdown = reader.boolean(Inputs.markdown, Defaults.markdown);
  // Checked before any file is read: a conflict is the clearer error.
  const html = [Inputs.htmlBody, Inputs.htmlBodyFile].find((name) => reader.has(name));
  if (markdown && html !== undefined) {
    throw new ActionInputError(
      Inputs.markdown,
      `true renders the HTML part from the Markdown body, so ${html} cannot be given too. ` +
        `Remove ${html}, or set markdown to false.`,
    );
  }
  const body = await readTemplate(reader, Inputs.body, Inputs.bodyFile, workspace);
  const htmlBody = await readTemplate(reader, Inputs.htmlBody, Inputs.htmlBodyFile, workspace);
  return {
    ...addresses,
    subject: subject === '' ? undefined : { name: Inputs.subject, text: subject },
    body,
    htmlBody,
    markdown,
    headers: parseHeaderLines(reader.text(Inputs.headers)),
    priority: reader.choice(Inputs.priority, Choices.priority, Defaults.priority),
    inReplyTo: readInReplyTo(reader.text(Inputs.inReplyTo)),
    thread: reader.boolean(Inputs.thread, Defaults.thread),
  };
}

type Addresses = Pick<MessageSettings, 'from' | 'to' | 'cc' | 'bcc' | 'replyTo'>;

function readAddresses(reader: InputReader, mode: Mode): Addresses {
  const addresses: Addresses = {
    from: readAddressInput(reader, Inputs.from, true),
    to: readAddressInput(reader, Inputs.to, false),
    cc: readAddressInput(reader, Inputs.cc, false),
    bcc: readAddressInput(reader, Inputs.bcc, false),
    replyTo: readAddressInput(reader, Inputs.replyTo, false),
  };
  // verify mode only opens a session: it sends no message, so it needs no addresses.
  if (mode === 'verify') return addresses;
  if (addresses.from === '') {
    throw new ActionInputError(
      Inputs.from,
      `is required in ${mode} mode: give the sender address.`,
    );
  }
  if (addresses.to === '' && addresses.cc === '' && addresses.bcc === '') {
    throw new ActionInputError(
      Inputs.to,
      `at least one recipient is required in ${mode} mode: give to, cc or bcc.`,
    );
  }
  return addresses;
}

/** The list with line breaks turned into commas, after checking every address in it. */
function readAddressInput(reader: InputReader, name: InputName, single: boolean): string {
  const list = splitLines(reader.text(name)).join(', ');
  if (list === '') return '';
  try {
    if (single) parseMailbox(list, name);
    else parseAddressList(list, name);
  } catch (error) {
    if (!(error instanceof MimeInputError)) throw error;
    throw fromMimeInputError(error, name);
  }
  return list;
}

/**
 * A template given inline or as a file in the workspace, not both. A file's template is named
 * after its path (`body-file docs/mail.md`) so that a template error points at the file.
 */
async function readTemplate(
  reader: InputReader,
  inline: InputName,
  file: InputName,
  workspace: string,
): Promise<TemplateSource | undefined> {
  const text = reader.text(inline);
  const path = reader.text(file);
  if (text !== '' && path !== '') {
    throw new ActionInputError(
      inline,
      `cannot be combined with ${file}: give the template inline or in a file, not both.`,
    );
  }
  if (text !== '') return { name: inline, text };
  if (path === '') return undefined;
  const read = await readWorkspaceFile(file, path, workspace);
  return { name: `${file} ${path}`, text: read.text };
}

function readInReplyTo(value: string): string | undefined {
  if (value === '') return undefined;
  const id = value.startsWith('<') ? value : `<${value}>`;
  if (!isMessageId(id)) {
    throw new ActionInputError(
      Inputs.inReplyTo,
      `${JSON.stringify(value)} is not a message id: expected <id@domain>, the Message-ID ` +
        'header of the message to answer (RFC 5322 3.6.4).',
    );
  }
  return id;
}

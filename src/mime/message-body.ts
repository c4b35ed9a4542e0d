/**
 * The body of a composed message: text, HTML, inline parts and attachments arranged in the tree
 * `planShape` chooses, each part encoded for a 7-bit transport.
 */

import { createAttachmentEntities, createInlineEntities } from './attachment.js';
import { createLeafEntity, type MimeEntity } from './entity.js';
import { MimeInputError } from './errors.js';
import type { MessageInput } from './message-input.js';
import { createMultipart, planShape, type MessageShape } from './multipart.js';

const utf8 = new TextEncoder();

/** The message body as one entity, its Content-* headers included. */
export function buildMessageBody(
  input: MessageInput,
  randomBytes: (size: number) => Uint8Array,
): MimeEntity {
  const inline = input.inline ?? [];
  if (inline.length > 0 && input.html === undefined) {
    throw new MimeInputError(
      'inline',
      'inline parts are shown by an HTML body through cid: links; add html, or send the ' +
        'files as attachments.',
    );
  }
  const inlineParts = createInlineEntities(inline);
  const attachments = createAttachmentEntities(input.attachments ?? [], inlineParts.names);
  const shape = planShape({
    hasText: input.text !== undefined,
    hasHtml: input.html !== undefined,
    inlineCount: inlineParts.entities.length,
    attachmentCount: attachments.length,
  });
  const leaves: Leaves = {
    text: () => createTextEntity('text/plain', input.text ?? ''),
    html: () => createTextEntity('text/html', input.html ?? ''),
    inline: inlineParts.entities,
    attachments,
  };
  return buildNode(shape, leaves, randomBytes);
}

interface Leaves {
  text: () => MimeEntity;
  html: () => MimeEntity;
  inline: readonly MimeEntity[];
  attachments: readonly MimeEntity[];
}

/** Builds children before their parent, so each boundary is checked against finished content. */
function buildNode(
  shape: MessageShape,
  leaves: Leaves,
  randomBytes: (size: number) => Uint8Array,
): MimeEntity {
  switch (shape.kind) {
    case 'text':
      return leaves.text();
    case 'html':
      return leaves.html();
    case 'inline':
      return pick(leaves.inline, shape.index);
    case 'attachment':
      return pick(leaves.attachments, shape.index);
    case 'multipart': {
      const children = shape.children.map((child) => buildNode(child, leaves, randomBytes));
      return createMultipart(shape.subtype, children, randomBytes);
    }
  }
}

function pick(entities: readonly MimeEntity[], index: number): MimeEntity {
  const entity = entities[index];
  if (entity === undefined) throw new RangeError(`no part at index ${index}`);
  return entity;
}

/**
 * A text body in UTF-8. Line breaks of every kind (CRLF, LF, CR) become CRLF, the canonical
 * form of text in MIME (RFC 2045 6.7 rule 4, RFC 2046 4.1.1).
 */
function createTextEntity(contentType: 'text/plain' | 'text/html', text: string): MimeEntity {
  return createLeafEntity({
    contentType,
    typeParameters: [['charset', 'utf-8']],
    kind: 'text',
    content: utf8.encode(text.replace(/\r\n|\r|\n/g, '\r\n')),
  });
}

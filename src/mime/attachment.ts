/**
 * Attachments and inline parts: their content types, de-duplicated names, Content-Disposition
 * (RFC 2183) and Content-ID (RFC 2045 section 7, RFC 2392).
 */

import mime from 'mime';
import { createLeafEntity, type MimeEntity } from './entity.js';
import { MimeInputError } from './errors.js';
import type { AttachmentInput, InlineInput } from './message-input.js';
import { cleanParameterText } from './parameter.js';
import { quoteValue } from './quoted-value.js';

const FALLBACK_TYPE = 'application/octet-stream';

/**
 * RFC 2045 5.1: `type "/" subtype`, both tokens, each at most 127 characters (RFC 6838 4.2), so
 * the Content-Type line cannot pass 998 octets. Parameters are not accepted here.
 */
const MEDIA_TYPE = /^[A-Za-z0-9!#$&+\-.^_`{|}~]{1,127}\/[A-Za-z0-9!#$&+\-.^_`{|}~]{1,127}$/;

/**
 * RFC 5322 3.6.4 id-left / id-right characters (dot-atom text, plus `@` between them): enough
 * for `logo`, `logo.png` or `part1.abc@example.com`, and nothing that could end the header.
 */
const CONTENT_ID = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.@]+$/;
/** `Content-ID: <id>` is one unfoldable word and must fit a 998-octet line (RFC 5322 2.1.1). */
const MAX_CONTENT_ID = 998 - 'Content-ID: <>'.length;

/** The content type for a file name, from its extension; `application/octet-stream` if unknown. */
export function lookupContentType(filename: string): string {
  return mime.getType(filename) ?? FALLBACK_TYPE;
}

/**
 * Gives each name a distinct form, comparing without case as the recipient's file system may:
 * the second `report.pdf` becomes `report (2).pdf`, skipping any name already taken.
 */
export function deduplicateNames(names: readonly string[]): string[] {
  const taken = new Set(names.map((name) => name.toLowerCase()));
  const seen = new Set<string>();
  return names.map((name) => {
    if (!seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      return name;
    }
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let counter = 2;
    let candidate = `${stem} (${counter})${extension}`;
    while (taken.has(candidate.toLowerCase()) || seen.has(candidate.toLowerCase())) {
      counter += 1;
      candidate = `${stem} (${counter})${extension}`;
    }
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}

/** Builds one part per attachment, `Content-Disposition: attachment; filename=...`. */
export function createAttachmentEntities(
  attachments: readonly AttachmentInput[],
  reservedNames: readonly string[] = [],
): MimeEntity[] {
  const names = deduplicateNames([
    ...reservedNames,
    ...attachments.map((a, i) => checkFilename(a.filename, `attachments[${i}].filename`)),
  ]).slice(reservedNames.length);
  return attachments.map((attachment, i) => {
    const filename = names[i] ?? attachment.filename;
    const field = `attachments[${i}].contentType`;
    return createFileEntity(attachment.content, filename, attachment.contentType, field, {
      type: 'attachment',
    });
  });
}

/**
 * Builds one part per inline item, `Content-Disposition: inline` with a `Content-ID` for the
 * HTML's `cid:` references (RFC 2392). Content ids must be distinct. Returns the parts and the
 * file names they used, so attachments can avoid them.
 */
export function createInlineEntities(inline: readonly InlineInput[]): {
  entities: MimeEntity[];
  names: string[];
} {
  const ids = new Set<string>();
  const named = inline.flatMap((item, i) =>
    item.filename === undefined ? [] : [checkFilename(item.filename, `inline[${i}].filename`)],
  );
  const unique = deduplicateNames(named);
  let nameIndex = 0;
  const entities = inline.map((item, i) => {
    const contentId = checkContentId(item.contentId, `inline[${i}].contentId`);
    if (ids.has(contentId.toLowerCase())) {
      throw new MimeInputError(
        `inline[${i}].contentId`,
        `"${contentId}" is used by an earlier inline part; give each inline part its own id.`,
      );
    }
    ids.add(contentId.toLowerCase());
    const filename = item.filename === undefined ? undefined : unique[nameIndex++];
    const field = `inline[${i}].contentType`;
    return createFileEntity(item.content, filename, item.contentType, field, {
      type: 'inline',
      contentId,
    });
  });
  return { entities, names: unique };
}

function createFileEntity(
  content: Uint8Array,
  filename: string | undefined,
  contentType: string | undefined,
  field: string,
  role: { type: 'attachment' | 'inline'; contentId?: string },
): MimeEntity {
  const type = checkContentType(contentType, field) ?? lookupContentType(filename ?? '');
  const parameters: [string, string][] = filename === undefined ? [] : [['filename', filename]];
  return createLeafEntity({
    contentType: type,
    // `name` on Content-Type is obsolete (RFC 2046 4.5.1) but still what some readers show.
    typeParameters: filename === undefined ? [] : [['name', filename]],
    disposition: { type: role.type, parameters },
    ...(role.contentId === undefined ? {} : { contentId: role.contentId }),
    // A text/* file that is already 7-bit clean travels as is, readable in the raw message.
    kind: type.startsWith('text/') ? 'attached-text' : 'binary',
    content,
  });
}

function checkFilename(filename: string, field: string): string {
  const clean = cleanParameterText(filename).trim();
  if (clean === '') {
    throw new MimeInputError(field, 'the file name is empty; give the file a name to show.');
  }
  return clean;
}

function checkContentType(contentType: string | undefined, field: string): string | undefined {
  if (contentType === undefined) return undefined;
  const trimmed = contentType.trim().toLowerCase();
  if (!MEDIA_TYPE.test(trimmed) || trimmed.startsWith('multipart/')) {
    throw new MimeInputError(
      field,
      `${quoteValue(contentType)} is not a media type; expected type/subtype such as ` +
        'application/pdf, each name at most 127 characters (RFC 6838 4.2), without parameters, ' +
        'and not multipart/*.',
    );
  }
  return trimmed;
}

function checkContentId(contentId: string, field: string): string {
  const bare =
    contentId.startsWith('<') && contentId.endsWith('>') ? contentId.slice(1, -1) : contentId;
  if (!CONTENT_ID.test(bare) || bare.length > MAX_CONTENT_ID) {
    throw new MimeInputError(
      field,
      `${quoteValue(contentId)} is not a usable content id; use letters, digits and ` +
        `.-_@ only, at most ${MAX_CONTENT_ID} of them, as in "logo" for <img src="cid:logo">.`,
    );
  }
  return bare;
}

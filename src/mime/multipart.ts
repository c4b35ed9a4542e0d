/**
 * Multipart entities (RFC 2046 section 5.1): boundaries, and the shape of the tree a message
 * needs, decided from what it holds before any node is built.
 */

import { toAsciiBytes, type BodyChunk, type MimeEntity } from './entity.js';
import { formatContentHeader } from './parameter.js';

export type MultipartSubtype = 'mixed' | 'alternative' | 'related';

/** Where each piece of a message goes; leaves name the piece, nodes the multipart subtype. */
export type MessageShape =
  | { readonly kind: 'text' }
  | { readonly kind: 'html' }
  | { readonly kind: 'inline'; readonly index: number }
  | { readonly kind: 'attachment'; readonly index: number }
  | {
      readonly kind: 'multipart';
      readonly subtype: MultipartSubtype;
      readonly children: readonly MessageShape[];
    };

/** What a message holds, as far as its shape is concerned. */
export interface MessageContents {
  hasText: boolean;
  hasHtml: boolean;
  inlineCount: number;
  attachmentCount: number;
}

/**
 * The usual tree (RFC 2046 5.1.3, 5.1.4; RFC 2387): HTML with its inline parts in
 * multipart/related; text and that in multipart/alternative, plainest first; the body and the
 * attachments in multipart/mixed. A level with one child is no level at all.
 */
export function planShape(contents: MessageContents): MessageShape {
  const inline = range(contents.inlineCount).map((index) => ({ kind: 'inline', index }) as const);
  const html: MessageShape[] = contents.hasHtml
    ? [wrap('related', [{ kind: 'html' }, ...inline])]
    : [];
  const text: MessageShape[] = contents.hasText ? [{ kind: 'text' }] : [];
  const body = [...text, ...html];
  const alternative = body.length > 0 ? [wrap('alternative', body)] : [];
  const attachments = range(contents.attachmentCount).map(
    (index) => ({ kind: 'attachment', index }) as const,
  );
  const root = [...alternative, ...attachments];
  if (root.length === 0) throw new RangeError('a message needs at least one part');
  return wrap('mixed', root);
}

function wrap(subtype: MultipartSubtype, children: MessageShape[]): MessageShape {
  const [only] = children;
  if (children.length === 1 && only !== undefined) return only;
  return { kind: 'multipart', subtype, children };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** RFC 2046 5.1.1: at most 70 characters from bchars. */
const MAX_BOUNDARY = 70;
/**
 * `=_` can appear in neither quoted-printable (`=` is followed by hex digits or a line break)
 * nor base64 output (`_` is not in its alphabet), so a collision needs a 7bit part holding it,
 * and base64 parts need no search before they are encoded.
 */
const BOUNDARY_PREFIX = '=_smtp-notify_';
const BOUNDARY_RANDOM_BYTES = 18;
/** A random source that keeps producing colliding boundaries is broken; stop rather than spin. */
const MAX_BOUNDARY_ATTEMPTS = 16;

/**
 * Builds a multipart entity around `children`, with a boundary that occurs in none of them.
 * The children's chunks are referenced, not copied.
 */
export function createMultipart(
  subtype: MultipartSubtype,
  children: readonly MimeEntity[],
  randomBytes: (size: number) => Uint8Array,
): MimeEntity {
  const boundary = createBoundary(children, randomBytes);
  const parameters: [string, string][] = subtype === 'related' ? [['type', 'text/html']] : [];
  parameters.push(['boundary', boundary]);
  const body: BodyChunk[] = [];
  for (const [i, child] of children.entries()) {
    // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1), so it is written
    // even after a child whose last line ended in CRLF.
    const opening = i === 0 ? `--${boundary}\r\n` : `\r\n--${boundary}\r\n`;
    body.push(toAsciiBytes(`${opening}${child.headers}\r\n`), ...child.body);
  }
  body.push(toAsciiBytes(`\r\n--${boundary}--\r\n`));
  return { headers: formatContentHeader('Content-Type', `multipart/${subtype}`, parameters), body };
}

/**
 * A boundary from the random source, checked against every chunk of every child: RFC 2046 5.1.1
 * requires that it not occur in the encapsulated parts. Chunks start after or end before a
 * CRLF, and a boundary holds no CR or LF, so a match can never straddle two chunks.
 */
export function createBoundary(
  children: readonly MimeEntity[],
  randomBytes: (size: number) => Uint8Array,
): string {
  for (let attempt = 0; attempt < MAX_BOUNDARY_ATTEMPTS; attempt += 1) {
    const random = Buffer.from(randomBytes(BOUNDARY_RANDOM_BYTES)).toString('hex');
    const boundary = `${BOUNDARY_PREFIX}${random}`.slice(0, MAX_BOUNDARY);
    if (!children.some((child) => occursIn(child, boundary))) return boundary;
  }
  throw new Error(
    `no boundary absent from the content after ${MAX_BOUNDARY_ATTEMPTS} attempts; ` +
      'the random source is not random',
  );
}

function occursIn(entity: MimeEntity, boundary: string): boolean {
  const needle = Buffer.from(boundary, 'latin1');
  if (entity.headers.includes(boundary)) return true;
  return entity.body.some((chunk) =>
    chunk instanceof Uint8Array
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).includes(needle)
      : chunk.mayContain(boundary),
  );
}

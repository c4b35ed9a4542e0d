/**
 * A MIME entity (RFC 2045 section 2.4) as we build it: its Content-* header lines and its
 * encoded body, kept as a list of byte chunks so that nesting parts never copies a body.
 */

import { base64EncodedLength, encodeBase64Into } from './base64.js';
import { formatContentHeader } from './parameter.js';
import { chooseTransferEncoding, encodeTransfer, type ContentKind } from './transfer-encoding.js';

/**
 * A base64 body, encoded only when the message is assembled, straight into the final buffer:
 * a 25 MB attachment then exists once as input and once as output, never in between.
 */
export interface DeferredChunk {
  readonly length: number;
  /** Whether `text` could occur in the encoded output (it cannot unless all of it is base64). */
  mayContain(text: string): boolean;
  writeInto(target: Uint8Array, offset: number): void;
}

export type BodyChunk = Uint8Array | DeferredChunk;

export interface MimeEntity {
  /** Content-* header lines, each ending in CRLF, without the empty line that ends them. */
  readonly headers: string;
  /** The encoded body: 7-bit clean, CRLF line endings; its last line may lack the CRLF. */
  readonly body: readonly BodyChunk[];
}

/** What a single (non-multipart) part is made of, before encoding. */
export interface LeafDescription {
  /** `type/subtype`, already validated. */
  contentType: string;
  /** Content-Type parameters, e.g. `[['charset', 'utf-8']]`. */
  typeParameters?: readonly (readonly [string, string])[];
  /** Content-Disposition (RFC 2183) with its parameters, for attachments and inline parts. */
  disposition?: {
    type: 'attachment' | 'inline';
    parameters: readonly (readonly [string, string])[];
  };
  /** Content-ID without angle brackets (RFC 2045 7, RFC 2392). */
  contentId?: string;
  kind: ContentKind;
  content: Uint8Array;
}

const ascii = new TextEncoder();

/** Chooses the transfer encoding from the bytes, encodes them, and writes the part headers. */
export function createLeafEntity(part: LeafDescription): MimeEntity {
  const encoding = chooseTransferEncoding(part.content, part.kind);
  let headers = formatContentHeader('Content-Type', part.contentType, part.typeParameters);
  headers += `Content-Transfer-Encoding: ${encoding}\r\n`;
  if (part.disposition) {
    const { type, parameters } = part.disposition;
    headers += formatContentHeader('Content-Disposition', type, parameters);
  }
  if (part.contentId !== undefined) headers += `Content-ID: <${part.contentId}>\r\n`;
  const body =
    encoding === 'base64' ? deferBase64(part.content) : encodeTransfer(part.content, encoding);
  return { headers, body: [body] };
}

/** RFC 4648 4: the base64 alphabet, plus the CRLF between lines. */
const BASE64_TEXT = /^[A-Za-z0-9+/=\r\n]*$/;

function deferBase64(content: Uint8Array): DeferredChunk {
  return {
    length: base64EncodedLength(content.length),
    mayContain: (text) => BASE64_TEXT.test(text),
    writeInto: (target, offset) => {
      encodeBase64Into(content, target, offset);
    },
  };
}

/** Writes every chunk into one buffer of the exact size: the only copy of a finished body. */
export function concatenateChunks(chunks: readonly BodyChunk[]): Uint8Array {
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    if (chunk instanceof Uint8Array) out.set(chunk, offset);
    else chunk.writeInto(out, offset);
    offset += chunk.length;
  }
  return out;
}

/** Text as it is written to the wire: US-ASCII header lines, delimiters and line breaks. */
export function toAsciiBytes(text: string): Uint8Array {
  return ascii.encode(text);
}

/** Whether the last chunk of a body ends in CRLF (an empty body counts as ending a line). */
export function endsWithLineBreak(body: readonly BodyChunk[]): boolean {
  for (let i = body.length - 1; i >= 0; i -= 1) {
    const chunk = body[i];
    if (chunk === undefined || chunk.length === 0) continue;
    // Deferred chunks are base64, whose every line ends in CRLF.
    if (!(chunk instanceof Uint8Array)) return true;
    return chunk[chunk.length - 2] === 0x0d && chunk[chunk.length - 1] === 0x0a;
  }
  return true;
}

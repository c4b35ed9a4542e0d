/**
 * Choosing and applying a Content-Transfer-Encoding per part (RFC 2045 section 6). Every part we
 * write is 7-bit clean after encoding, so the SMTP client never needs 8BITMIME (RFC 6152).
 */

import { encodeBase64 } from './base64.js';
import { encodeQuotedPrintable } from './quoted-printable.js';

export type TransferEncoding = '7bit' | 'quoted-printable' | 'base64';

/**
 * What a part holds. `text` is a body a person reads: 7bit or quoted-printable. `attached-text`
 * is a text/* file: 7bit when clean, else base64 so every byte and line ending survives.
 * `binary` is always base64.
 */
export type ContentKind = 'text' | 'attached-text' | 'binary';

/** RFC 5322 2.1.1 and RFC 2045 2.7: at most 998 octets on a line, excluding the CRLF. */
export const MAX_LINE_OCTETS = 998;
/**
 * RFC 5322 2.1.1: lines SHOULD be no more than 78 characters. A text body with longer lines goes
 * as quoted-printable, whose soft breaks keep them short and give them back whole.
 */
const SHORT_LINE_OCTETS = 78;

const CR = 0x0d;
const LF = 0x0a;

/**
 * RFC 2045 2.7 "7bit data": octets 1-127 only (no NUL), CR and LF only as a CRLF pair, lines of
 * at most 998 octets (or `maxLineOctets`). Measured on bytes, so a line of 500 two-byte
 * characters is 1000 octets.
 */
export function isSevenBitClean(content: Uint8Array, maxLineOctets = MAX_LINE_OCTETS): boolean {
  let lineLength = 0;
  for (let i = 0; i < content.length; i += 1) {
    const byte = content[i] ?? 0;
    if (byte === CR) {
      if (content[i + 1] !== LF) return false;
      i += 1;
      lineLength = 0;
      continue;
    }
    if (byte === 0 || byte === LF || byte > 0x7f) return false;
    lineLength += 1;
    if (lineLength > maxLineOctets) return false;
  }
  return true;
}

/**
 * Picks the encoding for a part: `7bit` when a text body is short-lined ASCII, quoted-printable
 * for other text bodies (they stay readable), base64 for files (compact, and keeps every byte).
 */
export function chooseTransferEncoding(content: Uint8Array, kind: ContentKind): TransferEncoding {
  if (kind === 'binary') return 'base64';
  if (kind === 'text') {
    return isSevenBitClean(content, SHORT_LINE_OCTETS) ? '7bit' : 'quoted-printable';
  }
  // A text file keeps its own lines: 7bit allows them up to 998 octets.
  return isSevenBitClean(content) ? '7bit' : 'base64';
}

/** Applies `encoding` to `content`; `7bit` content is passed through untouched. */
export function encodeTransfer(content: Uint8Array, encoding: TransferEncoding): Uint8Array {
  switch (encoding) {
    case '7bit':
      return content;
    case 'quoted-printable':
      return encodeQuotedPrintable(content);
    case 'base64':
      return encodeBase64(content);
  }
}

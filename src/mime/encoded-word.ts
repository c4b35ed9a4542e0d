/**
 * RFC 2047 encoded-words: the only way to put non-ASCII text into an unstructured header field
 * or a display name, and the way we neutralise ASCII text that a decoder would otherwise read as
 * an encoded-word.
 */

/** Where the words will stand: unstructured text (Subject) or a display-name phrase. */
export type EncodedWordContext = 'text' | 'phrase';

// RFC 2047 2: "An 'encoded-word' may not be more than 75 characters long, including 'charset',
// 'encoding', 'encoded-text', and delimiters."
const MAX_WORD_LENGTH = 75;
const PREFIX_LENGTH = '=?UTF-8?B?'.length;
const SUFFIX = '?=';
const MAX_PAYLOAD = MAX_WORD_LENGTH - PREFIX_LENGTH - SUFFIX.length;
// One four-byte character in B encoding: the least a word can carry.
const MIN_PAYLOAD = 8;

const SPACE = 0x20;
const utf8 = new TextEncoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** One piece of text that must not be split across two encoded-words. */
interface Unit {
  bytes: Uint8Array;
  qLength: number;
}

/**
 * Whether a byte may stand for itself in Q encoding. RFC 2047 5(3): in a phrase only
 * `A-Za-z0-9!*+-/` may; RFC 2047 4.2: in text, `=`, `?`, `_`, controls and non-ASCII may not.
 * Space is written as `_` in both (RFC 2047 4.2(2)).
 */
function isQLiteral(byte: number, context: EncodedWordContext): boolean {
  if (byte === SPACE) return true;
  if (context === 'phrase') {
    return /^[A-Za-z0-9!*+\-/]$/.test(String.fromCharCode(byte));
  }
  return byte > SPACE && byte < 0x7f && !'=?_'.includes(String.fromCharCode(byte));
}

function qLength(bytes: Uint8Array, context: EncodedWordContext): number {
  let length = 0;
  for (const byte of bytes) length += isQLiteral(byte, context) ? 1 : 3;
  return length;
}

function bLength(byteCount: number): number {
  return 4 * Math.ceil(byteCount / 3);
}

function encodeQ(bytes: Uint8Array, context: EncodedWordContext): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === SPACE) out += '_';
    else if (isQLiteral(byte, context)) out += String.fromCharCode(byte);
    else out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function toUnit(text: string, context: EncodedWordContext): Unit {
  const bytes = utf8.encode(text);
  return { bytes, qLength: qLength(bytes, context) };
}

/**
 * Grapheme clusters, so an emoji with its modifier or a ZWJ sequence stays in one word. A
 * cluster too long for any single word is split between code points, never inside one, so
 * every word stays valid UTF-8 on its own (RFC 2047 5: each word must be self-contained).
 */
function splitUnits(text: string, context: EncodedWordContext): Unit[] {
  const units: Unit[] = [];
  for (const { segment } of graphemes.segment(text)) {
    const unit = toUnit(segment, context);
    if (Math.min(unit.qLength, bLength(unit.bytes.length)) <= MAX_PAYLOAD) {
      units.push(unit);
    } else {
      for (const codePoint of segment) units.push(toUnit(codePoint, context));
    }
  }
  return units;
}

function concatBytes(units: readonly Unit[]): Uint8Array {
  const total = units.reduce((sum, unit) => sum + unit.bytes.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const unit of units) {
    bytes.set(unit.bytes, offset);
    offset += unit.bytes.length;
  }
  return bytes;
}

/** Encodes one chunk in whichever of Q and B is shorter; Q on a tie, as people can read it. */
function encodeChunk(units: readonly Unit[], context: EncodedWordContext): string {
  const bytes = concatBytes(units);
  const q = units.reduce((sum, unit) => sum + unit.qLength, 0);
  if (q <= bLength(bytes.length)) return `=?UTF-8?Q?${encodeQ(bytes, context)}${SUFFIX}`;
  return `=?UTF-8?B?${Buffer.from(bytes).toString('base64')}${SUFFIX}`;
}

/**
 * The payload room of the first word. It shares its line with `Name: ` (RFC 5322 2.1.1: 78
 * characters), so it gets what that leaves; a room too small for any character is ignored, as
 * the line cannot be short then anyway.
 */
function firstPayload(firstWordMax: number): number {
  const room = Math.min(firstWordMax, MAX_WORD_LENGTH) - PREFIX_LENGTH - SUFFIX.length;
  return room < MIN_PAYLOAD ? MAX_PAYLOAD : room;
}

/**
 * Encodes `text` as UTF-8 encoded-words of at most 75 characters each, the first at most
 * `firstWordMax`. Join them with a space: decoders drop the white space between adjacent
 * encoded-words (RFC 2047 6.2), so the text comes back exactly, and the spaces are where a header
 * may be folded.
 */
export function encodeWords(
  text: string,
  context: EncodedWordContext,
  firstWordMax = MAX_WORD_LENGTH,
): string[] {
  const words: string[] = [];
  let chunk: Unit[] = [];
  let byteCount = 0;
  let q = 0;
  for (const unit of splitUnits(text, context)) {
    const nextBytes = byteCount + unit.bytes.length;
    const nextQ = q + unit.qLength;
    const payload = words.length === 0 ? firstPayload(firstWordMax) : MAX_PAYLOAD;
    // Both lengths only grow as units are added, so the first unit that overflows ends a word.
    if (chunk.length > 0 && Math.min(nextQ, bLength(nextBytes)) > payload) {
      words.push(encodeChunk(chunk, context));
      chunk = [];
      byteCount = 0;
      q = 0;
    }
    chunk.push(unit);
    byteCount += unit.bytes.length;
    q += unit.qLength;
  }
  if (chunk.length > 0) words.push(encodeChunk(chunk, context));
  return words;
}

// Anything that is not printable ASCII or a tab.
const NOT_PLAIN = /[^\t\x20-\x7e]/;
// Deliberately looser than the RFC 2047 grammar: any `=?` followed later by `?=` is encoded, so
// no decoder, however lenient, can turn literal text into something else.
const LOOKS_ENCODED = /=\?[\s\S]*\?=/;
// A run a folder cannot break and that would not fit a line at all: with the leading space of a
// continuation line it would pass the 998-octet limit of RFC 5322 2.1.1. Shorter runs (a long
// URL) stay as written on a line of their own: the 78-character line is only a SHOULD, and an
// encoded URL in a List-Unsubscribe or X- header would mean nothing to the program reading it.
const UNFOLDABLE_RUN = /[^ \t]{998,}/;

/** True when `text` cannot be written as itself in a header and must become encoded-words. */
export function needsEncoding(text: string): boolean {
  return NOT_PLAIN.test(text) || LOOKS_ENCODED.test(text) || UNFOLDABLE_RUN.test(text);
}

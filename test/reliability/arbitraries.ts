/**
 * Values shared by the fuzz and injection tests (issue 6, parts 4 and 5): the characters that
 * break naive mail code, fast-check arbitraries built from them, and the way both sets of tests
 * feed a byte stream in pieces and hand error messages to the hygiene check.
 */
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { captureForHygiene } from '../helpers/hygiene.js';

/**
 * Each character a hostile value may carry, by name. U+760D and U+760A are CJK characters whose
 * UTF-16 low byte is 0x0D or 0x0A: a latin1 or `binary` encoding truncates them to CR or LF.
 */
export const HOSTILE_CHARS = {
  CR: '\r',
  LF: '\n',
  CRLF: '\r\n',
  NUL: '\u0000',
  'U+2028': '\u2028',
  'U+2029': '\u2029',
  'U+0085': '\u0085',
  'U+760D': '\u760d',
  'U+760A': '\u760a',
} as const;

export type HostileName = keyof typeof HOSTILE_CHARS;

/** Every name of HOSTILE_CHARS, in order. */
export const HOSTILE_NAMES = Object.keys(HOSTILE_CHARS) as HostileName[];

/** The names of the characters that are line breaks or controls somewhere: refused or folded. */
export const BREAKING: readonly HostileName[] = [
  'CR',
  'LF',
  'CRLF',
  'NUL',
  'U+2028',
  'U+2029',
  'U+0085',
];
/** The two CJK characters: valid text that must arrive as written. */
export const CJK: readonly HostileName[] = ['U+760D', 'U+760A'];

/** A literal encoded-word that decodes to CRLF + a Bcc header: must stay literal text. */
export const ENCODED_WORD_BCC = '=?utf-8?q?X=0D=0ABcc:_evil@x?=';

/** What no line a person reads (an error message, a command) may hold: C0, C1, separators. */
// eslint-disable-next-line no-control-regex -- finding controls is the point
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** What may not stand in a header value: controls but tab, line separators, lone surrogates. */
export const BREAKS_A_LINE = /(?!\t)[\p{Cc}\u2028\u2029\p{Cs}]/u;

/** Pieces that break encoders, parsers and line-length counting, in any combination. */
const awkwardPiece = fc.oneof(
  fc.constantFrom(...Object.values(HOSTILE_CHARS), ENCODED_WORD_BCC),
  fc.constantFrom(' ', '\t', '.', '..', '=', '=?', '?=', '"', '\\', '<', '>', ',', ':', ';', '@'),
  fc.constantFrom('é', '€', '😀', '👩‍💻', '\ud800', '\u00a0', '\u200b', '\u202e', 'x'.repeat(120)),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** Text made of awkward pieces; lone surrogates included. */
export const awkwardString = (maxPieces = 12): fc.Arbitrary<string> =>
  fc.array(awkwardPiece, { maxLength: maxPieces }).map((pieces) => pieces.join(''));

/** The same text without the characters that would break a header line (tab is kept). */
export const oneLine = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  text.map((value) => value.replace(new RegExp(BREAKS_A_LINE, 'gu'), ''));

/** Splits `bytes` at the sorted, distinct cut points into consecutive chunks. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

/** Cut points for `splitAt`: up to `max` positions (taken modulo the stream's length + 1). */
export const cutPoints = (max = 12): fc.Arbitrary<number[]> =>
  fc.array(fc.nat(1_000_000), { maxLength: max });

const utf8 = new TextEncoder();

export function bytesOf(text: string): Uint8Array {
  return utf8.encode(text);
}

/**
 * Collects the distinct error messages a file saw and hands them to the hygiene check once, in
 * afterAll, so that a property of a thousand runs does not write a thousand captures.
 */
export function useErrorCapture(source: string): (error: unknown) => void {
  const seen = new Set<string>();
  afterAll(() => {
    for (const text of seen) captureForHygiene(source, text);
  });
  return (error) => {
    seen.add(String(error));
    if (error instanceof Error) seen.add(error.message);
  };
}

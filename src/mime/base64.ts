/**
 * Base64 Content-Transfer-Encoding (RFC 2045 section 6.8) with 76-character lines.
 */

/** RFC 2045 6.8: encoded lines are no more than 76 characters, which 57 input octets make. */
const LINE_BYTES = 57;
const CR = 0x0d;
const LF = 0x0a;

/** The exact size of `encodeBase64`'s output for `inputLength` bytes. */
export function base64EncodedLength(inputLength: number): number {
  return Math.ceil(inputLength / 3) * 4 + Math.ceil(inputLength / LINE_BYTES) * 2;
}

/**
 * Encodes `input` as base64 in lines of 76 characters, each ending in CRLF (the last one too,
 * so the part is followed cleanly by a boundary or the end of the message).
 */
export function encodeBase64(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(base64EncodedLength(input.length));
  encodeBase64Into(input, out, 0);
  return out;
}

const ALPHABET = Buffer.from(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  'latin1',
);
const PAD = 0x3d;

/**
 * Writes what `encodeBase64` returns into `target` at `offset`, so a large attachment can be
 * encoded straight into the finished message; returns the number of bytes written.
 *
 * One pass over the input with a table, writing octets in place: no string is built, so a
 * 25 MB attachment leaves no garbage behind (Node's own encoder returns strings, which for
 * large inputs stay on the heap until a full collection).
 */
export function encodeBase64Into(input: Uint8Array, target: Uint8Array, offset: number): number {
  const fullLines = Math.floor(input.length / LINE_BYTES);
  let position = offset;
  let i = 0;
  for (let line = 0; line < fullLines; line += 1) {
    position = writeGroups(input, i, i + LINE_BYTES, target, position);
    target[position++] = CR;
    target[position++] = LF;
    i += LINE_BYTES;
  }
  if (i === input.length) return position - offset;
  const whole = input.length - ((input.length - i) % 3);
  position = writeGroups(input, i, whole, target, position);
  if (whole < input.length) position = writeFinalGroup(input.subarray(whole), target, position);
  target[position++] = CR;
  target[position++] = LF;
  return position - offset;
}

/** Encodes input[start, end), a multiple of three octets, four characters per three octets. */
function writeGroups(
  input: Uint8Array,
  start: number,
  end: number,
  target: Uint8Array,
  position: number,
): number {
  // Non-null assertions: every index is in range by construction, and this is the hot loop.
  for (let i = start; i < end; i += 3) {
    const triple = (input[i]! << 16) | (input[i + 1]! << 8) | input[i + 2]!;
    target[position] = ALPHABET[triple >>> 18]!;
    target[position + 1] = ALPHABET[(triple >>> 12) & 63]!;
    target[position + 2] = ALPHABET[(triple >>> 6) & 63]!;
    target[position + 3] = ALPHABET[triple & 63]!;
    position += 4;
  }
  return position;
}

/** The last one or two octets, padded with `=` (RFC 4648 4). */
function writeFinalGroup(rest: Uint8Array, target: Uint8Array, position: number): number {
  const first = rest[0] ?? 0;
  const second = rest[1];
  const triple = (first << 16) | ((second ?? 0) << 8);
  target[position] = ALPHABET[triple >>> 18] ?? 0;
  target[position + 1] = ALPHABET[(triple >>> 12) & 63] ?? 0;
  target[position + 2] = second === undefined ? PAD : (ALPHABET[(triple >>> 6) & 63] ?? 0);
  target[position + 3] = PAD;
  return position + 4;
}

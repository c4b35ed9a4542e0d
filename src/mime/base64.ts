/**
 * Base64 Content-Transfer-Encoding (RFC 2045 section 6.8) with 76-character lines.
 */

/** RFC 2045 6.8: encoded lines are no more than 76 characters; 57 input bytes make 76. */
const LINE_CHARS = 76;
const LINE_BYTES = 57;
/** Input bytes encoded per native call: whole lines, large enough to amortise the call. */
const SLICE_BYTES = LINE_BYTES * 16_384;

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

/**
 * Writes what `encodeBase64` returns into `target` at `offset`, so a large attachment can be
 * encoded straight into the finished message; returns the number of bytes written.
 *
 * Large slices go through Node's native encoder into one reused scratch buffer and are copied
 * from there line by line: linear, and no string or buffer is built for the whole input.
 */
export function encodeBase64Into(input: Uint8Array, target: Uint8Array, offset: number): number {
  const out = Buffer.from(target.buffer, target.byteOffset, target.length);
  const scratch = Buffer.allocUnsafe(base64EncodedLength(Math.min(input.length, SLICE_BYTES)));
  let position = offset;
  for (let start = 0; start < input.length; start += SLICE_BYTES) {
    const end = Math.min(start + SLICE_BYTES, input.length);
    const slice = Buffer.from(input.buffer, input.byteOffset + start, end - start);
    const length = scratch.write(slice.toString('base64'), 0, 'latin1');
    for (let from = 0; from < length; from += LINE_CHARS) {
      position += scratch.copy(out, position, from, Math.min(from + LINE_CHARS, length));
      out[position++] = CR;
      out[position++] = LF;
    }
  }
  return position - offset;
}

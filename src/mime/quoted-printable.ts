/**
 * Quoted-Printable Content-Transfer-Encoding (RFC 2045 section 6.7), working on bytes.
 *
 * The input is the body as octets; a CRLF pair in it is a hard line break and is written as
 * CRLF, while a bare CR or LF is data and is escaped, so the output never holds a bare CR or LF
 * (RFC 5322 section 2.3) and decodes back to exactly the input.
 */

/** RFC 2045 6.7 rule 5: encoded lines are at most 76 characters, the soft-break `=` included. */
const MAX_LINE = 76;

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const DOT = 0x2e;
const HEX = new TextEncoder().encode('0123456789ABCDEF');
const FROM_SPACE = new TextEncoder().encode('From ');

/**
 * Encodes `input` as quoted-printable with CRLF line endings and lines of at most 76 characters;
 * the output always ends in CRLF (a soft break if the input did not end in one). Runs in one pass; the output buffer is sized for the worst case up front and trimmed once.
 */
export function encodeQuotedPrintable(input: Uint8Array): Uint8Array {
  const writer = new QpWriter(input.length);
  let i = 0;
  while (i < input.length) {
    if (input[i] === CR && input[i + 1] === LF) {
      writer.hardBreak();
      i += 2;
      continue;
    }
    const length = tokenLength(input, i);
    let escape = mustEscape(input, i, writer.atLineStart());
    if (!writer.fits(escape ? length * 3 : length)) {
      writer.softBreak();
      // The token now starts a line, where `.` and `From ` are escaped.
      escape = mustEscape(input, i, true);
    }
    writer.token(input, i, length, escape);
    i += length;
  }
  // End on a complete line, so whatever follows (a boundary's CRLF, the end of the message)
  // starts a line; a final soft break adds nothing to the decoded text.
  if (!writer.atLineStart()) writer.softBreak();
  return writer.finish();
}

/**
 * How many input bytes travel together: a whole UTF-8 sequence is kept on one encoded line, so
 * a soft break never falls inside a character (readers that decode line by line would break
 * it). Malformed sequences are taken a byte at a time.
 */
function tokenLength(input: Uint8Array, start: number): number {
  const lead = input[start] ?? 0;
  const expected = lead >= 0xf0 && lead <= 0xf7 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (lead >= 0xf8) return 1;
  let length = 1;
  while (length < expected && start + length < input.length) {
    const next = input[start + length] ?? 0;
    if ((next & 0xc0) !== 0x80) break;
    length += 1;
  }
  return length;
}

/** RFC 2045 6.7 rules 1-3, plus two protective escapes at the start of a line. */
function mustEscape(input: Uint8Array, i: number, lineStart: boolean): boolean {
  const byte = input[i] ?? 0;
  if (byte === SPACE || byte === TAB) {
    // Rule 3: whitespace at the end of an encoded line may be stripped in transport, so it is
    // escaped when a hard break or the end of the body follows it.
    const next = input[i + 1];
    return next === undefined || (next === CR && input[i + 2] === LF);
  }
  if (byte < 33 || byte > 126 || byte === EQUALS) return true;
  if (!lineStart) return false;
  // A leading `.` is harmless once SMTP dot-stuffs it, but escaping costs two bytes and keeps the
  // body safe on any path; `From ` at line start is mangled into `>From ` by mbox writers.
  return byte === DOT || startsWith(input, i, FROM_SPACE);
}

function startsWith(input: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > input.length) return false;
  for (let k = 0; k < prefix.length; k += 1) {
    if (input[at + k] !== prefix[k]) return false;
  }
  return true;
}

/** Accumulates encoded output and tracks the column for soft line breaks. */
class QpWriter {
  private readonly out: Uint8Array;
  private position = 0;
  private column = 0;

  constructor(inputLength: number) {
    // Worst case: every byte escaped (3 chars), plus a 3-char soft break per 73 chars written.
    const encoded = inputLength * 3;
    this.out = new Uint8Array(encoded + Math.ceil(encoded / 73) * 3 + 3);
  }

  atLineStart(): boolean {
    return this.column === 0;
  }

  hardBreak(): void {
    this.out[this.position++] = CR;
    this.out[this.position++] = LF;
    this.column = 0;
  }

  /** Whether `width` more characters fit, leaving room for the `=` of a soft break. */
  fits(width: number): boolean {
    return this.column + width <= MAX_LINE - 1;
  }

  softBreak(): void {
    this.out[this.position++] = EQUALS;
    this.hardBreak();
  }

  token(input: Uint8Array, start: number, length: number, escape: boolean): void {
    for (let k = start; k < start + length; k += 1) {
      const byte = input[k] ?? 0;
      if (escape) {
        this.out[this.position++] = EQUALS;
        this.out[this.position++] = HEX[byte >> 4] ?? 0;
        this.out[this.position++] = HEX[byte & 0x0f] ?? 0;
      } else {
        this.out[this.position++] = byte;
      }
    }
    this.column += escape ? length * 3 : length;
  }

  finish(): Uint8Array {
    return this.out.subarray(0, this.position);
  }
}

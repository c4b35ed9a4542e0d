const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const TERMINATOR_AFTER_LINE = Uint8Array.of(DOT, CR, LF);
const TERMINATOR_MID_LINE = Uint8Array.of(CR, LF, DOT, CR, LF);

/**
 * Turns message bytes into the DATA wire form (RFC 5321 4.5.2), however they are chunked:
 * every line ending (CRLF, lone LF, lone CR) becomes CRLF and a line starting with `.` gets
 * one more. Normalising every ending is the client's share of the SMTP smuggling defence
 * (CVE-2023-51764): no `<LF>.<LF>` or `<CR>.<CR>` can reach a server that might read it as
 * the end of data, and the message can end only where `end()` ends it.
 */
export class DataEncoder {
  private atLineStart = true;
  /** The previous chunk ended with CR: a LF opening the next chunk belongs to that ending. */
  private skipLf = false;
  private ended = false;

  push(chunk: Uint8Array): Uint8Array {
    if (this.ended) throw new Error('DataEncoder.push() was called after end().');
    // Worst case every octet doubles: a lone LF becomes CRLF, a leading dot becomes two. One
    // typed-array pass is linear and keeps a 25 MB message well under a second even when it is
    // nothing but line endings (an indexOf per line costs more there).
    const out = new Uint8Array(chunk.length * 2);
    const length = chunk.length;
    let atLineStart = this.atLineStart;
    let o = 0;
    let i = 0;
    if (this.skipLf && length > 0) {
      this.skipLf = false;
      if (chunk[0] === LF) i = 1;
    }
    for (; i < length; i++) {
      const byte = chunk[i] ?? 0;
      if (byte === CR || byte === LF) {
        out[o++] = CR;
        out[o++] = LF;
        atLineStart = true;
        if (byte === CR) {
          // CRLF is one ending; a CR that ends the chunk may be followed by LF in the next.
          if (i + 1 === length) this.skipLf = true;
          else if (chunk[i + 1] === LF) i++;
        }
      } else {
        if (atLineStart && byte === DOT) out[o++] = DOT;
        out[o++] = byte;
        atLineStart = false;
      }
    }
    this.atLineStart = atLineStart;
    return out.subarray(0, o);
  }

  /** The end-of-data indication: `.CRLF`, preceded by CRLF when the last line is open. */
  end(): Uint8Array {
    if (this.ended) throw new Error('DataEncoder.end() was called twice.');
    this.ended = true;
    return (this.atLineStart ? TERMINATOR_AFTER_LINE : TERMINATOR_MID_LINE).slice();
  }
}

export interface MessageFacts {
  /** Octets as given, before line endings are normalised or dots stuffed. */
  size: number;
  /**
   * Octets once every line ending is CRLF, as the server will count them (RFC 1870 3: the
   * SIZE value is the message size with CRLF line endings, before dot-stuffing).
   */
  wireSize: number;
  /** Any octet above 0x7F: BODY=8BITMIME is needed (RFC 6152). */
  has8bit: boolean;
  /** The longest line in octets, line ending excluded (CRLF, lone LF and lone CR all end one). */
  longestLine: number;
}

/**
 * What the session checks before connecting. RFC 5321 4.5.3.1.6 limits a text line to 1000
 * octets including CRLF, so a line over 998 octets must be refused (or encoded) in advance.
 */
export function inspectMessage(message: Uint8Array): MessageFacts {
  let has8bit = false;
  let longestLine = 0;
  let lineStart = 0;
  let loneEndings = 0;
  const length = message.length;
  for (let i = 0; i < length; i++) {
    const byte = message[i] ?? 0;
    if (byte === CR || byte === LF) {
      longestLine = Math.max(longestLine, i - lineStart);
      if (byte === CR && message[i + 1] === LF) i++;
      else loneEndings++;
      lineStart = i + 1;
    } else if (byte > 0x7f) {
      has8bit = true;
    }
  }
  longestLine = Math.max(longestLine, length - lineStart);
  return { size: length, wireSize: length + loneEndings, has8bit, longestLine };
}

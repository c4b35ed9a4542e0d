import { SmtpProtocolError } from './errors.js';
import { escapeUnprintable } from './reply-text.js';

/**
 * An SMTP reply (RFC 5321 4.2): a three-digit code and one or more lines of text. When the
 * server uses RFC 3463 enhanced status codes, the code is parsed out of the first line and the
 * lines keep their full text.
 */
export interface Reply {
  code: number;
  /** `class.subject.detail`, e.g. `5.1.1`, when the first line starts with one. */
  enhancedCode?: string;
  /** The text of each line, without the code and separator; may be empty. */
  lines: string[];
}

/** Bounds on what the parser buffers, so a hostile or broken server cannot exhaust memory. */
export interface ReplyLimits {
  /** Octets per line including the line ending. RFC 5321 4.5.3.1.5 says 512; we allow more. */
  maxLineLength: number;
  /** Octets in one (multi-line) reply, line endings included. */
  maxReplySize: number;
  /** Lines in one reply. */
  maxLines: number;
}

export const DEFAULT_REPLY_LIMITS: Readonly<ReplyLimits> = Object.freeze({
  maxLineLength: 2048,
  maxReplySize: 64 * 1024,
  maxLines: 1000,
});

/**
 * The server sent bytes that are not a well-formed reply. Thrown with phase `connect` because
 * the parser does not know the step; the connection layer rethrows it with the right phase.
 */
export class ReplyFormatError extends SmtpProtocolError {
  constructor(message: string) {
    super(`The server sent a malformed reply: ${message}`, { phase: 'connect' });
  }
}

const CR = 0x0d;
const LF = 0x0a;
const DIGIT_0 = 0x30;
const HYPHEN = 0x2d;
const SPACE = 0x20;

const utf8 = new TextDecoder('utf-8');

interface ParsedLine {
  code: number;
  last: boolean;
  text: string;
}

/** Reads `NNN`, the separator and the text of one line (RFC 5321 4.2, Reply-line). */
function parseLine(line: Uint8Array): ParsedLine {
  const digits = [line[0], line[1], line[2]].map((byte) =>
    byte === undefined ? -1 : byte - DIGIT_0,
  );
  const [first = -1, second = -1, third = -1] = digits;
  // RFC 5321 4.2: the first digit is 2-5 and the second 0-5; anything else is not a reply.
  if (first < 2 || first > 5 || second < 0 || second > 5 || third < 0 || third > 9) {
    throw new ReplyFormatError(`line does not start with a reply code: ${preview(line)}`);
  }
  const separator = line[3];
  if (separator !== undefined && separator !== HYPHEN && separator !== SPACE) {
    throw new ReplyFormatError(`code is not followed by a space or "-": ${preview(line)}`);
  }
  if (line.includes(CR)) {
    // A lone CR must never end (or hide inside) a line: that is how replies get smuggled.
    throw new ReplyFormatError(`bare CR inside a line: ${preview(line)}`);
  }
  return {
    code: first * 100 + second * 10 + third,
    last: separator !== HYPHEN,
    text: line.length > 4 ? utf8.decode(line.subarray(4)) : '',
  };
}

/** A short, printable excerpt of a bad line for the error message. */
function preview(line: Uint8Array): string {
  return escapeUnprintable(JSON.stringify(utf8.decode(line.subarray(0, 40))));
}

function concatBytes(head: Uint8Array, tail: Uint8Array): Uint8Array {
  if (head.length === 0) return tail;
  const joined = new Uint8Array(head.length + tail.length);
  joined.set(head);
  joined.set(tail, head.length);
  return joined;
}

/**
 * Incremental parser of server replies (RFC 5321 4.2). Bytes may arrive split anywhere; each
 * `push` returns the replies the chunk completed. A violation throws `ReplyFormatError` and
 * leaves the parser failed: the connection must be dropped, never resynchronised.
 */
export class ReplyParser {
  private readonly limits: ReplyLimits;
  private partial: Uint8Array = new Uint8Array(0);
  private code = 0;
  private lines: string[] = [];
  private size = 0;
  private failure: ReplyFormatError | undefined;

  constructor(limits?: Partial<ReplyLimits>) {
    // Field by field: an explicit `undefined` must not switch a bound off.
    this.limits = {
      maxLineLength: limits?.maxLineLength ?? DEFAULT_REPLY_LIMITS.maxLineLength,
      maxReplySize: limits?.maxReplySize ?? DEFAULT_REPLY_LIMITS.maxReplySize,
      maxLines: limits?.maxLines ?? DEFAULT_REPLY_LIMITS.maxLines,
    };
  }

  /** True while a partial line or a partial multi-line reply is buffered. */
  get hasPendingBytes(): boolean {
    return this.partial.length > 0 || this.lines.length > 0;
  }

  push(chunk: Uint8Array): Reply[] {
    if (this.failure) throw this.failure;
    try {
      return this.consume(chunk);
    } catch (error) {
      if (error instanceof ReplyFormatError) this.failure = error;
      throw error;
    }
  }

  private consume(chunk: Uint8Array): Reply[] {
    const replies: Reply[] = [];
    let start = 0;
    for (let end = chunk.indexOf(LF); end !== -1; end = chunk.indexOf(LF, start)) {
      const line = concatBytes(this.partial, chunk.subarray(start, end + 1));
      this.partial = new Uint8Array(0);
      start = end + 1;
      const reply = this.acceptLine(line);
      if (reply) replies.push(reply);
    }
    const rest = chunk.subarray(start);
    // A line that has not ended yet still needs room for its LF.
    if (this.partial.length + rest.length >= this.limits.maxLineLength) {
      throw new ReplyFormatError(`line longer than ${this.limits.maxLineLength} octets`);
    }
    // Copy: the caller may reuse the chunk's memory after push returns.
    this.partial = concatBytes(this.partial, rest.slice());
    return replies;
  }

  /** Takes one line including its LF; returns the reply it completes, if any. */
  private acceptLine(line: Uint8Array): Reply | undefined {
    const { maxLineLength, maxReplySize, maxLines } = this.limits;
    if (line.length > maxLineLength) {
      throw new ReplyFormatError(`line longer than ${maxLineLength} octets`);
    }
    const crlf = line.length >= 2 && line[line.length - 2] === CR;
    const parsed = parseLine(line.subarray(0, line.length - (crlf ? 2 : 1)));
    if (this.lines.length > 0 && parsed.code !== this.code) {
      // RFC 5321 4.2.1: every line of a multi-line reply carries the same code.
      throw new ReplyFormatError(`line with code ${parsed.code} inside a ${this.code} reply`);
    }
    this.code = parsed.code;
    this.lines.push(parsed.text);
    this.size += line.length;
    if (this.lines.length > maxLines) {
      throw new ReplyFormatError(`reply has more than ${maxLines} lines`);
    }
    if (this.size > maxReplySize) {
      throw new ReplyFormatError(`reply larger than ${maxReplySize} octets`);
    }
    if (!parsed.last) return undefined;
    const lines = this.lines;
    this.lines = [];
    this.size = 0;
    const enhancedCode = parseEnhancedCode(lines[0] ?? '', parsed.code);
    return enhancedCode === undefined
      ? { code: parsed.code, lines }
      : { code: parsed.code, enhancedCode, lines };
  }
}

// RFC 3463 2: class "." subject "." detail, subject and detail 1-3 digits.
const ENHANCED_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})(?=[ \t]|$)/;

/**
 * The RFC 3463 enhanced status code at the start of a reply line, or undefined. Its class must
 * equal the first digit of the reply code (RFC 3463 2: they "MUST" agree), otherwise the text
 * is just text.
 */
export function parseEnhancedCode(text: string, code: number): string | undefined {
  const match = ENHANCED_CODE.exec(text);
  if (!match || match[1] !== String(Math.floor(code / 100))) return undefined;
  return `${match[1]}.${match[2]}.${match[3]}`;
}

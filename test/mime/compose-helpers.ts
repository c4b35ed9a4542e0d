/** Shared helpers for the composer's tests: fixed clock and random source, wire-format checks. */

import { simpleParser, type ParsedMail } from 'mailparser';

export const FIXED_DATE = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

/** Same output for the same seed: byte k of the stream is (seed + k * 37) mod 256. */
export function seededRandom(seed = 1): (size: number) => Uint8Array {
  let counter = 0;
  return (size) =>
    Uint8Array.from({ length: size }, () => (seed + (counter++ & 0xffffff) * 37) & 0xff);
}

export const fixedOptions = (seed = 1) => ({
  now: () => FIXED_DATE,
  randomBytes: seededRandom(seed),
});

export function parseMessage(bytes: Uint8Array): Promise<ParsedMail> {
  return simpleParser(Buffer.from(bytes), { keepCidLinks: true });
}

export function toText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The wire-format invariants every composed message keeps: CR and LF only as CRLF pairs, the
 * message ends in CRLF, and no line passes 998 octets (RFC 5322 2.1.1, 2.3).
 */
export function wireProblems(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (byte === 0x0d && bytes[i + 1] !== 0x0a) problems.push(`bare CR at ${i}`);
    if (byte === 0x0a && bytes[i - 1] !== 0x0d) problems.push(`bare LF at ${i}`);
    if (byte === 0x00) problems.push(`NUL at ${i}`);
    if (byte === 0x0a) {
      if (i - 1 - lineStart > 998) problems.push(`line of ${i - 1 - lineStart} octets at ${i}`);
      lineStart = i + 1;
    }
  }
  if (bytes[bytes.length - 2] !== 0x0d || bytes[bytes.length - 1] !== 0x0a) {
    problems.push('does not end in CRLF');
  }
  return problems;
}

/** The names of the top-level header fields, lower case, in order. */
export function topHeaderNames(bytes: Uint8Array): string[] {
  const text = toText(bytes);
  const head = text.slice(0, text.indexOf('\r\n\r\n') + 2);
  return head
    .split('\r\n')
    .filter((line) => line !== '' && !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

/** RFC 2045 6.7 decoding, strict enough to catch a malformed escape. */
export function decodeQuotedPrintable(encoded: Uint8Array): Uint8Array {
  const text = Buffer.from(encoded).toString('latin1').replace(/=\r\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '=') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new Error(`bad escape =${hex} at ${i}`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(text.charCodeAt(i));
    }
  }
  return Uint8Array.from(out);
}

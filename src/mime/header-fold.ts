import { MimeInputError } from './errors.js';

// RFC 5322 2.1.1: lines "SHOULD be no more than 78 characters" and "MUST be no more than 998".
const TARGET_LINE_LENGTH = 78;
const MAX_LINE_OCTETS = 998;
// A word with the white space before it; a fold goes in front of the white space (RFC 5322
// 2.2.3), so every continuation line starts with WSP and unfolding gives the value back exactly.
const TOKENS = /[ \t]*[^ \t]+|[ \t]+$/g;

/**
 * What the first line of a field leaves for its first word after `name: `. Encoders size that
 * word by it, since nothing may be folded in between (RFC 5322 2.2.3 folds at white space only).
 */
export function getFirstLineRoom(name: string): number {
  return TARGET_LINE_LENGTH - `${name}: `.length;
}

/** The lines of `name: value` folded at white space, without line endings or length checks. */
function foldLines(name: string, value: string): string[] {
  const tokens = value.match(TOKENS) ?? [];
  const lines: string[] = [];
  let line = `${name}:`;
  tokens.forEach((token, index) => {
    if (index === 0) {
      line += ` ${token.trimStart()}`;
    } else if (line.length + token.length > TARGET_LINE_LENGTH && /[^ \t]/.test(token)) {
      lines.push(line);
      line = token;
    } else {
      line += token;
    }
  });
  lines.push(line);
  return lines;
}

const fitsLine = (line: string): boolean => Buffer.byteLength(line, 'utf8') <= MAX_LINE_OCTETS;

/** Whether `value` folds into lines of at most 998 octets as it is, without encoding. */
export function fitsFolded(name: string, value: string): boolean {
  return foldLines(name, value).every(fitsLine);
}

/**
 * Writes `name: value` as one field, folded at white space so lines stay within 78 characters
 * where the words allow, each line ending in CRLF. The value must already be a single line; a
 * word that cannot fit within 998 octets is refused, since folding cannot split it.
 */
export function foldField(name: string, value: string): string {
  const lines = foldLines(name, value);
  if (!lines.every(fitsLine)) {
    throw new MimeInputError(
      name,
      `the value has a word too long for one header line (over ${MAX_LINE_OCTETS} bytes ` +
        'after folding, RFC 5322 2.1.1); shorten it',
    );
  }
  return lines.map((line) => `${line}\r\n`).join('');
}

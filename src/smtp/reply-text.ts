import type { Reply } from './reply.js';

// C0 and C1 controls, DEL and the Unicode line separators: server text must not be able to
// start a new log line (or a GitHub workflow command) through an error message or a transcript.
// eslint-disable-next-line no-control-regex -- matching controls is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Shows every control character as `\uXXXX`, so the text stays one printable line. */
export function escapeUnprintable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A value quoted for an error message: JSON string syntax, which escapes C0 controls, and
 * `escapeUnprintable` for what JSON leaves raw (DEL, C1 such as NEL, U+2028, U+2029), so a
 * refused value cannot break the message's line.
 */
export function quoteValue(value: unknown): string {
  return escapeUnprintable(JSON.stringify(value) ?? String(value));
}

/** One readable line for error messages: `550 5.1.1 User unknown`, lines joined by ` / `. */
export function formatReply(reply: Reply): string {
  const lines = reply.lines.length > 0 ? reply.lines : [''];
  return escapeUnprintable(lines.map((line) => `${reply.code} ${line}`.trimEnd()).join(' / '));
}

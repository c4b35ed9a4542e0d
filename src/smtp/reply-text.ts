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

/** One readable line for error messages: `550 5.1.1 User unknown`, lines joined by ` / `. */
export function formatReply(reply: Reply): string {
  const lines = reply.lines.length > 0 ? reply.lines : [''];
  return escapeUnprintable(lines.map((line) => `${reply.code} ${line}`.trimEnd()).join(' / '));
}

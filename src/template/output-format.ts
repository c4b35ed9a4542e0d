/**
 * How a `{{ }}` value becomes text, and the escapes each kind of template applies to it. The
 * engine calls one of these for every output that does not end in `| raw`.
 */

/**
 * A value as text. Liquid would print an object as `[object Object]`; a template author who
 * writes `{{ event.pull_request }}` wants to see what is in it, so objects (and lists that hold
 * objects) print as compact JSON. Lists of plain values keep Liquid's rule (items joined with
 * nothing), so `{{ "a,b" | split: "," }}` prints `ab` as in every other Liquid.
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const plain = value.every((item) => typeof item !== 'object' || item === null);
    return plain ? value.map(formatValue).join('') : formatJson(value);
  }
  if (typeof value === 'object') return formatJson(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return ''; // functions and symbols: nothing a template can print
}

function formatJson(value: object): string {
  try {
    return JSON.stringify(value);
  } catch {
    // A cycle (YAML aliases can make one) cannot be printed; say so instead of failing the run.
    return '[unprintable value]';
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Not needed between tags or in a quoted attribute, but a template author may leave an
  // attribute unquoted (`title={{ x }}`): there `=` would let a value add `onclick=…` after a
  // space, and old engines took a backtick for a quote. A browser shows both as typed.
  '=': '&#61;',
  '`': '&#96;',
};

/**
 * Text safe between tags and inside attribute values, quoted or not (HTML 13.1.2.3, 13.1.2.6).
 * An attribute whose value is a URL needs more than escaping: see safe-url.ts.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'=`]/g, (char) => HTML_ESCAPES[char] ?? char);
}

// Every run of white space, controls and Unicode separators (Zs, Zl, Zp: U+00A0, U+3000,
// U+2028...) becomes one space: a header is one line (RFC 5322 2.2), and a reader cannot tell
// those characters from a space anyway. The same set and more than src/mime/header.ts
// normaliseSubject folds, so what a template gives is what the Subject shows.
const HEADER_BREAKS = /[\p{Cc}\p{Z}]+/gu;
// Half of a surrogate pair (a `slice` or `truncate` through an emoji) is not text; the MIME
// layer refuses it in a header.
const LONE_SURROGATE = /\p{Cs}/gu;
/** RFC 5322 2.1.1: a line holds at most 998 characters; no header needs more, even folded. */
const HEADER_MAX_CHARACTERS = 998;

/**
 * A header is one line: every run of white space, controls or separators becomes one space,
 * ends trimmed, a lone surrogate becomes U+FFFD, and a result longer than 998 characters (code
 * points) is cut to 997 and ends in `…` so the cut shows.
 */
export function flattenHeader(text: string): string {
  const line = text.replace(LONE_SURROGATE, '\ufffd').replace(HEADER_BREAKS, ' ').trim();
  if (line.length <= HEADER_MAX_CHARACTERS) return line;
  const characters = [...line];
  if (characters.length <= HEADER_MAX_CHARACTERS) return line;
  return `${characters
    .slice(0, HEADER_MAX_CHARACTERS - 1)
    .join('')
    .trimEnd()}…`;
}

// CommonMark 0.31 section 2.1: ASCII punctuation characters, any of which can be Markdown syntax.
const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// Runs of white space: a line break would let a value start a new block (a heading, a list, a
// table row, an HTML block), and four leading spaces would turn it into code.
const MARKDOWN_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029 ]+/g;

// The HTML-significant characters keep the references escapeHtml uses, so a value reads the
// same in the HTML of a Markdown body as in an HTML body.
const MARKDOWN_HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * A value that Markdown shows as the literal text it is. Every ASCII punctuation character
 * becomes a character reference (`-` is `&#x2D;`, `<` is `&lt;`), so no emphasis, link,
 * autolink, table cell or block marker can come from a value: CommonMark treats a reference as
 * literal text (section 2.5) and decodes it in text, link destinations and titles. Unlike a
 * backslash escape, a reference also reads right inside HTML the template author wrote, where
 * Markdown processes no escapes but the browser decodes references: `<a href="{{ github.run_url
 * }}">` keeps a working URL, and `<div>{{ github.head_ref }}</div>` shows no stray backslashes.
 * Code spans and blocks show references as typed; markdown.ts turns them back there.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(MARKDOWN_BREAKS, ' ')
    .replace(ASCII_PUNCTUATION, (char) => MARKDOWN_HTML_ESCAPES[char] ?? `&#x${toHex(char)};`);
}

function toHex(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, '0');
}

/** A hexadecimal reference escapeMarkdown made (`&#x2D;`). */
export const ESCAPED_REFERENCE = /&#x([0-9A-F]{2});/g;
/** Any reference escapeMarkdown made, as marked re-escapes it inside code (`&amp;#x2D;`). */
export const ESCAPED_REFERENCE_IN_CODE = /&amp;(#x[0-9A-F]{2}|amp|lt|gt|quot|#39);/g;

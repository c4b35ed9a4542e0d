/**
 * Which URLs a message may link to or load, and the pass that holds rendered HTML to it.
 *
 * HTML escaping keeps a value inside the attribute it was printed into, but not out of the
 * attribute's meaning: `href="{{ url }}"` with `javascript:alert(1)` from a forged payload is
 * still a script link. A mail has no use for script, `data:` or `vbscript:` URLs, so every
 * URL-valued attribute of the rendered HTML is checked as a browser will read it (character
 * references decoded, then the WHATWG URL parser's clean-up) and dropped when its scheme is not
 * one a message needs. This runs on the whole output, so the template's own attributes are
 * held to the same rule as the values printed into them.
 */

// The schemes a notification links to: the web, mail and phone links, and parts of the same
// message (`cid:`, RFC 2392).
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel', 'cid']);

// Attributes whose value a browser or mail reader follows or loads as a URL.
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'data',
  'codebase',
  'cite',
  'longdesc',
  'lowsrc',
  'dynsrc',
]);

// The only named references that can spell a scheme or the characters the URL parser drops;
// any other `&name;` left before the colon makes the URL unsafe (see readScheme).
const NAMED_REFERENCES: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

// C0 controls and spaces at either end, which the URL parser trims.
// eslint-disable-next-line no-control-regex -- matching controls is the point
const URL_EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/**
 * The URL as a browser ends up reading it: numeric character references (with or without the
 * `;`, HTML 13.2.5.80) and the named ones above decoded, then leading and trailing C0 controls
 * and spaces trimmed and every tab and line break removed (URL Standard, basic URL parser).
 */
export function normaliseUrl(value: string): string {
  return value
    .replace(
      /&#(?:x([0-9a-f]+)|(\d+));?|&([a-z]+);/gi,
      (reference, hex?: string, dec?: string, name?: string) => {
        if (name !== undefined) return NAMED_REFERENCES[name.toLowerCase()] ?? reference;
        const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      },
    )
    .replace(URL_EDGES, '')
    .replace(/[\t\n\r]/g, '');
}

/**
 * True when `value` may stay as a link or image source: an http, https, mailto, tel or cid URL,
 * a `#fragment`, or (when `relative` is true) a URL with no scheme at all.
 */
export function isSafeUrl(value: string, { relative }: { relative: boolean }): boolean {
  const url = normaliseUrl(value);
  const scheme = /^([^:/?#]*):/.exec(url)?.[1];
  if (scheme === undefined) return relative || url.startsWith('#');
  return SAFE_SCHEMES.has(scheme.toLowerCase());
}

/** Drops every URL-valued attribute whose URL is not safe (see isSafeUrl) from `html`. */
export function dropUnsafeUrls(html: string): string {
  let output = '';
  let copied = 0;
  TAG_NAME.lastIndex = 0;
  for (let tag = TAG_NAME.exec(html); tag !== null; tag = TAG_NAME.exec(html)) {
    const attributes = readAttributes(html, TAG_NAME.lastIndex);
    for (const attribute of attributes) {
      if (!URL_ATTRIBUTES.has(attribute.name.toLowerCase())) continue;
      if (isSafeUrl(attribute.value, { relative: true })) continue;
      output += html.slice(copied, attribute.start);
      copied = attribute.end;
    }
    // The next tag starts after this one's attributes, never inside a quoted value.
    TAG_NAME.lastIndex = attributes.at(-1)?.end ?? TAG_NAME.lastIndex;
  }
  return copied === 0 ? html : output + html.slice(copied);
}

// The start of a start tag (HTML 13.2.5.6): `<` and an ASCII letter, then the name.
const TAG_NAME = /<[a-z][^\s/>]*/gi;
// An attribute's name and its `=` (HTML 13.2.5.32 to 13.2.5.36): separators are white space or
// `/`, and the name runs to white space, `/`, `>` or `=`.
const ATTRIBUTE_NAME = /[\s/]*([^\s/>][^\s/>=]*)(\s*=\s*)?/y;
// An unquoted value runs to white space or `>` (HTML 13.2.5.39).
const UNQUOTED_VALUE = /[^\s>]*/y;

interface Attribute {
  name: string;
  value: string;
  /** Where the name starts and the value ends, so the attribute can be cut out. */
  start: number;
  end: number;
}

/**
 * The attributes of the start tag whose name ends at `from`. A quoted value is found with
 * indexOf, not a regular expression, so a page of unclosed quotes costs one pass, not one pass
 * per tag. A quote that never closes runs to the end, as it does for a browser (which then
 * shows nothing of the tag).
 */
function readAttributes(html: string, from: number): Attribute[] {
  const attributes: Attribute[] = [];
  ATTRIBUTE_NAME.lastIndex = from;
  for (let match = ATTRIBUTE_NAME.exec(html); match !== null; match = ATTRIBUTE_NAME.exec(html)) {
    const [whole, name = '', equals = ''] = match;
    const start = match.index + whole.length - name.length - equals.length;
    const [value, end] =
      equals === ''
        ? ['', match.index + whole.length]
        : readValue(html, match.index + whole.length);
    attributes.push({ name, value, start, end });
    ATTRIBUTE_NAME.lastIndex = end;
  }
  return attributes;
}

/** The value starting at `at` and the index just after it. */
function readValue(html: string, at: number): [string, number] {
  const quote = html[at];
  if (quote === '"' || quote === "'") {
    const close = html.indexOf(quote, at + 1);
    return close === -1
      ? [html.slice(at + 1), html.length]
      : [html.slice(at + 1, close), close + 1];
  }
  UNQUOTED_VALUE.lastIndex = at;
  UNQUOTED_VALUE.exec(html);
  return [html.slice(at, UNQUOTED_VALUE.lastIndex), UNQUOTED_VALUE.lastIndex];
}

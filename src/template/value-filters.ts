/**
 * Filters for values a template cannot trust to have the shape it expects. The event payload is
 * JSON that whoever sends a `workflow_dispatch` or `repository_dispatch`, or runs a runner other
 * than GitHub's, can write: a title may be an object, a link may be `javascript:`, an input may
 * be a page long. The default run report reads every payload field through these, and any
 * template can do the same.
 */
import type { Context } from 'liquidjs';
import { formatValue } from './output-format.js';
import { isSafeUrl } from './safe-url.js';

/** The shapes `of_type` tells apart. `text` is what prints as itself: text, numbers, true/false. */
const VALUE_TYPES = ['text', 'list'] as const;
type ValueType = (typeof VALUE_TYPES)[number];

/**
 * `{{ value | of_type: 'text' }}`: the value when it has that shape, else nil (which prints
 * nothing and is `blank`), so an object where text belongs prints neither `[object Object]`
 * nor JSON.
 */
function keepOfType(value: unknown, type: unknown): unknown {
  if (!isValueType(type)) {
    const known = VALUE_TYPES.map((name) => `'${name}'`).join(' or ');
    throw new Error(`of_type: ${formatType(type)} is not a type (use ${known})`);
  }
  return hasType(value, type) ? value : null;
}

function isValueType(type: unknown): type is ValueType {
  return VALUE_TYPES.some((known) => known === type);
}

// Says what the argument was without quoting it: it may come from a value, and values can be
// secrets (see liquid-error.ts).
function formatType(type: unknown): string {
  return typeof type === 'string' && /^[a-z_]{1,20}$/.test(type) ? `'${type}'` : 'the argument';
}

function hasType(value: unknown, type: ValueType): boolean {
  if (type === 'list') return Array.isArray(value);
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * `{% for pair in event.inputs | entries %}`: the `[name, value]` pairs of a mapping as a list,
 * empty for anything that is not a mapping. Liquid loops over a mapping's pairs already, but over
 * a list's items and a text's one item too, and `.size` of a mapping reads a key named `size`:
 * a list of pairs has an honest `size` and a loop that only ever meets pairs.
 */
function listEntries(this: FilterThis, value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const entries = Object.entries(value);
  // A list the size of the mapping is new memory, like the lists `split` and `map` make.
  this.context.memoryLimit.use(entries.length);
  return entries;
}

/** What LiquidJS binds `this` to in a filter (its FilterImpl, not exported by name). */
interface FilterThis {
  context: Context;
}

// Printable characters only, so a link stays inside its `<…>` on its own line in a text part and
// reads as what it is: no white space, controls, angle brackets or invisible format characters
// (U+202E, the right-to-left override, can show `exe.txt` as `txt.exe`).
const UNPRINTABLE = /[\s\p{Cc}\p{Cf}<>]/u;
// An absolute web link names a host (RFC 3986 3.2: `//` then the authority).
const WEB_LINK = /^https?:\/\/[^/?#]/i;

/**
 * `{{ commit.url | web_url }}`: the value when it is an absolute http or https URL in one piece,
 * else ''. Whether a URL is safe to follow is isSafeUrl's call (the rule every HTML link is
 * held to); a payload link is also a web page, so other safe schemes (`mailto:`) are left out.
 */
export function keepWebUrl(value: unknown): string {
  if (typeof value !== 'string' || UNPRINTABLE.test(value)) return '';
  return WEB_LINK.test(value) && isSafeUrl(value, { relative: false }) ? value : '';
}

// Characters as a reader counts them (Unicode extended grapheme clusters, UAX #29): a flag is two
// code points, a ZWJ emoji sequence several, and cutting between them shows half an emoji.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `{{ value | truncatechars: 200 }}`: like `truncate` (at most that many characters, a cut one
 * ending in the ellipsis, `…` unless given), but counting characters as a reader sees them, so
 * it never cuts one in two: Liquid's `truncate` counts code points and cuts a flag or `👩‍💻`.
 */
export function truncateChars(value: unknown, length: unknown, ellipsis: unknown = '…'): string {
  const text = formatValue(value);
  const end = formatValue(ellipsis);
  const limit = Number(length);
  // The ellipsis is short: segmenting it whole costs nothing.
  const keep = limit - [...graphemes.segment(end)].length;
  if (!Number.isInteger(limit) || keep < 0) {
    throw new Error(
      'truncatechars: needs the number of characters to keep, at least as many as the ellipsis ' +
        'has (truncatechars: 200)',
    );
  }
  // UTF-16 units are never fewer than characters, so a short text needs no segmenting.
  if (text.length <= limit) return text;
  let seen = 0;
  let cut = 0;
  for (const { index } of graphemes.segment(text)) {
    if (seen === keep) cut = index;
    if (seen === limit) return `${text.slice(0, cut).trimEnd()}${end}`;
    seen += 1;
  }
  return text;
}

/** Every filter of this file by its Liquid name, for the engine to register. */
export const VALUE_FILTERS = {
  of_type: keepOfType,
  entries: listEntries,
  web_url: keepWebUrl,
  truncatechars: truncateChars,
} as const;

/**
 * Parameters of Content-Type and Content-Disposition (RFC 2045 section 5.1, RFC 2183) and their
 * RFC 2231 extension for non-ASCII and long values, plus the folding of such headers.
 *
 * Values here are data (file names chosen by whoever made the file): nothing in a value can end
 * the parameter, the header or the header block.
 */

/** RFC 5322 2.1.1: lines SHOULD be no more than 78 characters, excluding the CRLF. */
const FOLD_AT = 78;
/** Longest value written as one quoted-string; longer ones use RFC 2231 continuations. */
const MAX_QUOTED = 200;
/** Room for the value in one RFC 2231 segment line: ` name*NN*=<value>;` within 78. */
const SEGMENT_BUDGET = FOLD_AT - 2;

/**
 * RFC 2045 5.1 tspecials and RFC 2231 7 attribute-char: these printable ASCII characters may
 * appear bare in a token; anything else needs quoting (or percent-encoding in RFC 2231).
 */
const TOKEN = /^[A-Za-z0-9!#$&+\-.^_`{|}~]+$/;
const ATTRIBUTE_CHAR = /^[A-Za-z0-9!#$&+\-.^_`{|}~]$/;

const UTF8 = new TextEncoder();

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
 * overrides that can make `invoice<RLO>fdp.exe` display as `invoiceexe.pdf`.
 */
const UNSAFE_TEXT = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** Replaces every control or line separator in a parameter value with `_`. */
export function cleanParameterText(value: string): string {
  return value.replace(UNSAFE_TEXT, '_');
}

/**
 * Formats one parameter as one or more `attribute=value` segments. ASCII values become a token
 * or a quoted-string; non-ASCII values, very long ones and ones that look like RFC 2047
 * encoded-words (which some readers decode inside quoted-strings) get an RFC 2231 `name*`
 * form, preceded by a plain ASCII `name="..."` fallback for readers without RFC 2231.
 */
export function formatParameter(name: string, value: string): string[] {
  const clean = cleanParameterText(value);
  const ascii = isPrintableAscii(clean);
  if (ascii && TOKEN.test(clean)) return [`${name}=${clean}`];
  if (ascii && clean.length <= MAX_QUOTED && !clean.includes('=?')) {
    return [`${name}=${quoteString(clean)}`];
  }
  const fallback = quoteString(toAsciiFallback(clean).slice(0, MAX_QUOTED));
  return [`${name}=${fallback}`, ...formatExtendedParameter(name, clean)];
}

/**
 * RFC 2231 sections 3 and 4: `name*=utf-8'language'%XX...`, split into `name*0*=`, `name*1*=`
 * ... segments when it would not fit on one line. A segment never ends inside a character.
 */
export function formatExtendedParameter(name: string, value: string, language = ''): string[] {
  const prefix = `utf-8'${language}'`;
  const single = `${name}*=${prefix}${percentEncode(value)}`;
  if (single.length <= SEGMENT_BUDGET) return [single];
  const segments: string[] = [];
  let current = prefix;
  for (const char of value) {
    const encoded = percentEncode(char);
    const head = `${name}*${segments.length}*=`;
    if (head.length + current.length + encoded.length > SEGMENT_BUDGET && current !== '') {
      segments.push(`${head}${current}`);
      current = '';
    }
    current += encoded;
  }
  segments.push(`${name}*${segments.length}*=${current}`);
  return segments;
}

/** RFC 2231 7 extended-other-values: UTF-8 octets, each non-attribute-char as `%XX`. */
export function percentEncode(value: string): string {
  let out = '';
  for (const char of value) {
    if (ATTRIBUTE_CHAR.test(char)) {
      out += char;
      continue;
    }
    for (const byte of UTF8.encode(char)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * Formats `Name: value; a=b; c=d` with CRLF at the end, folding before a parameter when the
 * line would pass 78 characters (RFC 5322 3.2.2 allows FWS around the `;`).
 */
export function formatContentHeader(
  name: string,
  value: string,
  parameters: readonly (readonly [string, string])[] = [],
): string {
  let header = `${name}: ${value}`;
  let lineLength = header.length;
  for (const [attribute, parameterValue] of parameters) {
    for (const segment of formatParameter(attribute, parameterValue)) {
      if (lineLength + 2 + segment.length + 1 > FOLD_AT) {
        header += `;\r\n ${segment}`;
        lineLength = 1 + segment.length;
      } else {
        header += `; ${segment}`;
        lineLength += 2 + segment.length;
      }
    }
  }
  return `${header}\r\n`;
}

/** RFC 5322 3.2.4 quoted-string: `"` and `\` are escaped with a backslash. */
function quoteString(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function isPrintableAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

/**
 * An ASCII stand-in: accents dropped (`é` to `e`), anything else non-ASCII as `_`, and `?` as
 * `_` too. The stand-in serves readers without RFC 2231, which are the ones that decode RFC 2047
 * words inside quoted parameters; without `?` nothing in it can read as an encoded-word (and
 * Windows refuses `?` in a file name anyway).
 */
function toAsciiFallback(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|\?/g, '_');
}

import type { Reply } from './reply.js';

/** What the server said it supports in its EHLO reply (RFC 5321 4.1.1.1). */
export interface Capabilities {
  /** The domain the server named itself with on the first line of its reply. */
  domain: string;
  /** RFC 2920: commands may be sent in groups without waiting for each reply. */
  pipelining: boolean;
  /** RFC 1870: the declared maximum message size in octets; undefined when none is declared. */
  size?: number;
  /** RFC 6152: BODY=8BITMIME is accepted. */
  eightBitMime: boolean;
  /** RFC 6531: UTF-8 addresses and headers are accepted with the SMTPUTF8 parameter. */
  smtpUtf8: boolean;
  /** RFC 2034: replies carry RFC 3463 enhanced status codes. */
  enhancedStatusCodes: boolean;
  /** RFC 3461: NOTIFY, ORCPT, RET and ENVID are accepted. */
  dsn: boolean;
  /** RFC 3030: BDAT is accepted. */
  chunking: boolean;
  /** RFC 3207: the session can be upgraded to TLS. */
  startTls: boolean;
  /** RFC 4954: SASL mechanism names, uppercase, without duplicates. */
  auth: readonly string[];
  /** Every keyword seen, uppercase, with its parameters as the server sent them. */
  keywords: ReadonlyMap<string, readonly string[]>;
}

/** A session opened with HELO has no extensions at all (RFC 5321 4.1.1.1). */
export const HELO_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  domain: '',
  pipelining: false,
  eightBitMime: false,
  smtpUtf8: false,
  enhancedStatusCodes: false,
  dsn: false,
  chunking: false,
  startTls: false,
  auth: Object.freeze([]),
  keywords: new Map<string, readonly string[]>(),
});

/** The capabilities of a HELO session, naming the domain from the server's HELO reply. */
export function capabilitiesFromHelo(reply: Reply): Capabilities {
  return { ...HELO_CAPABILITIES, domain: firstWord(reply.lines[0] ?? '') };
}

// RFC 5321 4.1.1.1: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-").
const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

function firstWord(text: string): string {
  return text.trim().split(/\s+/)[0] ?? '';
}

/** Keyword and parameters of one EHLO line, or undefined for a line that is not one. */
function parseEhloLine(line: string): [string, string[]] | undefined {
  const words = line.trim().split(/[ \t]+/);
  let [keyword = '', ...params] = words;
  // Some servers (old Exchange, some Postfix configurations) also send the pre-standard
  // `AUTH=LOGIN PLAIN` form, with `=` where the space belongs.
  const equals = keyword.indexOf('=');
  if (equals > 0) {
    params = [keyword.slice(equals + 1), ...params].filter((param) => param !== '');
    keyword = keyword.slice(0, equals);
  }
  if (!KEYWORD.test(keyword)) return undefined;
  return [keyword.toUpperCase(), params];
}

/** Reads the size limit from `SIZE n`; RFC 1870 4: 0 (or no value) means no fixed limit. */
function parseSize(params: readonly string[] | undefined): number | undefined {
  const value = params?.[0];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const size = Number(value);
  return size > 0 && Number.isSafeInteger(size) ? size : undefined;
}

function collectKeywords(lines: readonly string[]): Map<string, readonly string[]> {
  const keywords = new Map<string, readonly string[]>();
  for (const line of lines) {
    const parsed = parseEhloLine(line);
    // A line that is not a keyword is ignored rather than failing the session: it cannot
    // enable anything, and some servers add free text.
    if (!parsed) continue;
    const [keyword, params] = parsed;
    const known = keywords.get(keyword) ?? [];
    keywords.set(keyword, [...known, ...params.filter((param) => !known.includes(param))]);
  }
  return keywords;
}

/**
 * Reads a successful EHLO reply: the first line is the server's domain and greeting, every
 * further line one keyword with its parameters, case-insensitive (RFC 5321 4.1.1.1).
 */
export function parseEhlo(reply: Reply): Capabilities {
  const keywords = collectKeywords(reply.lines.slice(1));
  const auth = [...new Set((keywords.get('AUTH') ?? []).map((name) => name.toUpperCase()))];
  const size = parseSize(keywords.get('SIZE'));
  return {
    domain: firstWord(reply.lines[0] ?? ''),
    pipelining: keywords.has('PIPELINING'),
    ...(size === undefined ? {} : { size }),
    eightBitMime: keywords.has('8BITMIME'),
    smtpUtf8: keywords.has('SMTPUTF8'),
    enhancedStatusCodes: keywords.has('ENHANCEDSTATUSCODES'),
    dsn: keywords.has('DSN'),
    chunking: keywords.has('CHUNKING'),
    startTls: keywords.has('STARTTLS'),
    auth,
    keywords,
  };
}

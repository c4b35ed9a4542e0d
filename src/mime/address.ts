/**
 * Mailboxes as users type them in a workflow input, and their header form. Only the plain,
 * unambiguous subset of RFC 5322 3.4 is accepted: anything a reader and a mail server could
 * understand differently (comments, groups, routes, quoted local parts) is refused, not guessed.
 */
import { toAsciiDomain } from './domain.js';
import { encodeWords, needsEncoding } from './encoded-word.js';
import { MimeInputError } from './errors.js';
import { quoteValue } from './quoted-value.js';

export interface Mailbox {
  /** The display name, unquoted and unescaped; absent when none was given. */
  name?: string;
  /** `local@domain`, with a non-ASCII domain already in A-label form (`xn--...`). */
  address: string;
  /** True when the local part is non-ASCII, so the server must offer SMTPUTF8 (RFC 6531). */
  needsSmtpUtf8: boolean;
}

const EXPECTED =
  'Expected a@example.com, Name <a@example.com> or "Last, First" <a@example.com>, ' +
  'separated by commas or new lines.';

// RFC 5322 3.2.3 atext, plus any non-ASCII character that is visible (RFC 6532 3.2 allows UTF-8
// there; white space, controls and invisible format characters would only help spoofing).
const ATEXT_CHAR = String.raw`[A-Za-z0-9!#$%&'*+/=?^_\x60{|}~-]`;
const LOCAL_CHAR = String.raw`(?:${ATEXT_CHAR}|[^\p{ASCII}\p{White_Space}\p{Cc}\p{Cf}\p{Cs}])`;
const LOCAL_PART = new RegExp(String.raw`^${LOCAL_CHAR}+(?:\.${LOCAL_CHAR}+)*$`, 'u');
const ATOM_PHRASE = new RegExp(String.raw`^${ATEXT_CHAR}+(?: ${ATEXT_CHAR}+)*$`);
// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and lone surrogates: none
// may appear in an address or a name, as each can end a header line in some reader.
const FORBIDDEN = /[\p{Cc}\u2028\u2029\p{Cs}]/u;
const NON_ASCII = /\P{ASCII}/u;
// RFC 5321 4.5.3.1.1.
const MAX_LOCAL_OCTETS = 64;

function reject(field: string, entry: string, why: string): never {
  throw new MimeInputError(field, `${quoteValue(entry)}: ${why}. ${EXPECTED}`);
}

function trimBlanks(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** Splits at commas and line breaks that are outside a quoted name and outside `<...>`. */
function splitEntries(input: string, field: string): string[] {
  const entries: string[] = [];
  let current = '';
  let inQuote = false;
  let escaped = false;
  let inAngle = false;
  for (const char of input) {
    if (inQuote) {
      if (char === '\r' || char === '\n') reject(field, current, 'a quoted name is not closed');
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inQuote = false;
    } else if (char === '"') inQuote = true;
    else if (char === '<') inAngle = true;
    else if (char === '>') inAngle = false;
    else if (!inAngle && (char === ',' || char === '\n' || char === '\r')) {
      entries.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (inQuote) reject(field, current, 'a quoted name is not closed');
  entries.push(current);
  return entries.map(trimBlanks).filter((entry) => entry !== '');
}

/** Checks `local@domain` and returns it with the domain as an A-label. */
function parseAddrSpec(spec: string, field: string, entry: string): Omit<Mailbox, 'name'> {
  const fail = (why: string): never => reject(field, entry, why);
  if (spec === '') fail('the address is empty');
  if (spec.includes('"')) fail('quoted local parts ("..."@example.com) are not accepted');
  if (spec.startsWith('@') && spec.includes(':')) {
    fail('route addresses (<@relay:a@example.com>) are not accepted');
  }
  if (/[:;]/.test(spec)) fail('group syntax (name: a@example.com;) is not accepted');
  if (/[()]/.test(spec)) fail('comments in parentheses are not accepted');
  if (/[\s]/u.test(spec)) fail('an address cannot contain spaces; put a name before <address>');
  if (/[[\]]/.test(spec)) fail('domain literals ([192.0.2.1]) are not accepted');
  if (/[<>,\\]/.test(spec)) fail('the address contains <, >, comma or backslash');
  const parts = spec.split('@');
  if (parts.length === 1) fail('the address has no @domain');
  if (parts.length > 2) fail('the address has more than one @');
  const [local = '', domain = ''] = parts;
  if (local === '') fail('the part before @ is empty');
  if (!LOCAL_PART.test(local)) {
    fail(`${quoteValue(local)} is not a valid local part (dots only between characters)`);
  }
  if (Buffer.byteLength(local, 'utf8') > MAX_LOCAL_OCTETS) {
    fail(`the part before @ is longer than ${MAX_LOCAL_OCTETS} bytes`);
  }
  const asciiDomain = toAsciiDomain(domain, field, entry);
  return { address: `${local}@${asciiDomain}`, needsSmtpUtf8: NON_ASCII.test(local) };
}

/** Reads `<addr-spec>` and refuses a second `<...>` or anything after the `>`. */
function parseAngleAddr(text: string, field: string, entry: string): Omit<Mailbox, 'name'> {
  const close = text.indexOf('>');
  if (close === -1) reject(field, entry, 'the < has no matching >');
  const inner = text.slice(1, close);
  if (inner.includes('<')) reject(field, entry, 'an entry holds more than one <...>');
  const after = trimBlanks(text.slice(close + 1));
  if (after.includes('<')) reject(field, entry, 'an entry holds more than one <...>');
  if (after !== '') reject(field, entry, 'there is text after the >');
  return parseAddrSpec(inner, field, entry);
}

/** Reads a display name that starts with `"`; returns it unescaped and the text after it. */
function readQuotedName(entry: string): { name: string; rest: string } {
  let name = '';
  for (let i = 1; i < entry.length; i += 1) {
    const char = entry.charAt(i);
    if (char === '"') return { name, rest: entry.slice(i + 1) };
    if (char === '\\') i += 1;
    name += entry.charAt(i);
  }
  return { name, rest: '' };
}

function checkUnquotedName(name: string, field: string, entry: string): void {
  const fail = (why: string): never => reject(field, entry, why);
  if (/[()]/.test(name)) {
    fail('comments in parentheses are not accepted; put a name with parentheses in quotes');
  }
  if (/[:;]/.test(name)) fail('group syntax (name: a@example.com;) is not accepted');
  if (name.includes('@')) {
    fail('the name holds an @: put a comma between two addresses, or put the name in quotes');
  }
  if (/[[\]\\>]/.test(name)) fail('the name holds [, ], \\ or >; put such a name in quotes');
}

function withName(name: string, mailbox: Omit<Mailbox, 'name'>): Mailbox {
  const cleaned = trimBlanks(name.replace(/\t/g, ' '));
  return cleaned === '' ? { ...mailbox } : { name: cleaned, ...mailbox };
}

function parseEntry(entry: string, field: string): Mailbox {
  if (FORBIDDEN.test(entry.replace(/\t/g, ' '))) {
    reject(field, entry, 'control characters and line separators are not accepted');
  }
  if (entry.startsWith('"')) {
    const { name, rest } = readQuotedName(entry);
    const tail = trimBlanks(rest);
    if (tail.startsWith('@')) reject(field, entry, 'quoted local parts are not accepted');
    if (!tail.startsWith('<')) reject(field, entry, 'a quoted name must be followed by <address>');
    return withName(name, parseAngleAddr(tail, field, entry));
  }
  const open = entry.indexOf('<');
  if (open === -1) {
    if (entry.includes('>')) reject(field, entry, 'there is a > without a <');
    return parseAddrSpec(entry, field, entry);
  }
  const name = entry.slice(0, open).replace(/[ \t]+/g, ' ');
  if (name.includes('"')) reject(field, entry, 'quote the whole name or none of it');
  checkUnquotedName(name, field, entry);
  return withName(name, parseAngleAddr(entry.slice(open), field, entry));
}

/** Parses a list of mailboxes separated by commas and/or new lines; blank entries are skipped. */
export function parseAddressList(input: string, field: string): Mailbox[] {
  return splitEntries(input, field).map((entry) => parseEntry(entry, field));
}

/** Parses exactly one mailbox. */
export function parseMailbox(input: string, field: string): Mailbox {
  const mailboxes = parseAddressList(input, field);
  if (mailboxes.length !== 1) {
    throw new MimeInputError(
      field,
      `${quoteValue(input)}: expected exactly one address, found ${mailboxes.length}. ` +
        'Expected a@example.com or Name <a@example.com>.',
    );
  }
  return mailboxes[0] as Mailbox;
}

/**
 * The header form of a mailbox. The display name is an atom phrase when it is plain, a
 * quoted-string when it holds other printable ASCII (RFC 5322 3.2.4), and encoded-words when it
 * is non-ASCII or could be mistaken for one (RFC 2047 5(3)). The mailbox is checked again here,
 * because callers may build one by hand. `firstWordMax` sizes the first encoded-word for the
 * room left on a header's first line.
 */
export function formatMailbox(mailbox: Mailbox, field = 'address', firstWordMax?: number): string {
  const { address } = parseAddrSpec(mailbox.address, field, mailbox.address);
  const name = mailbox.name ?? '';
  if (FORBIDDEN.test(name)) {
    reject(field, name, 'a display name cannot hold control characters or line separators');
  }
  if (name === '') return address;
  if (needsEncoding(name)) {
    return `${encodeWords(name, 'phrase', firstWordMax).join(' ')} <${address}>`;
  }
  if (ATOM_PHRASE.test(name)) return `${name} <${address}>`;
  return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

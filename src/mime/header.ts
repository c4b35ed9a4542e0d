/**
 * The header block of a message. Every value is checked at the moment it is set, as Python's
 * email.policy does: a CR, LF or other control character is refused here, at the lowest layer,
 * so no caller can write a second header line by accident or on an attacker's behalf.
 */
import { formatMailbox, type Mailbox } from './address.js';
import { encodeWords, needsEncoding } from './encoded-word.js';
import { MimeInputError } from './errors.js';
import { fitsFolded, foldField, getFirstLineRoom } from './header-fold.js';
import { quoteValue } from './quoted-value.js';

/** Which setter may write a field, so structure cannot be faked through free text. */
type FieldKind = 'text' | 'address' | 'structured' | 'refused';
type Setter = Exclude<FieldKind, 'refused'>;

/** The policy, by lower-case name. Fields not listed may be written by any setter. */
const FIELD_KINDS: ReadonlyMap<string, FieldKind> = new Map<string, FieldKind>([
  ['subject', 'text'],
  ['from', 'address'],
  ['sender', 'address'],
  ['reply-to', 'address'],
  ['to', 'address'],
  ['cc', 'address'],
  // RFC 5322 3.6.3: Bcc recipients go in the SMTP envelope only; the composer never writes it.
  ['bcc', 'refused'],
  ['date', 'structured'],
  ['message-id', 'structured'],
  ['in-reply-to', 'structured'],
  ['references', 'structured'],
  ['mime-version', 'structured'],
  ['content-type', 'structured'],
  ['content-transfer-encoding', 'structured'],
  ['content-disposition', 'structured'],
  ['content-id', 'structured'],
]);

// RFC 5322 3.6 (the table's "max number" of 1) and RFC 2045 / RFC 2183 for the MIME fields.
const SINGLE_FIELDS: ReadonlySet<string> = new Set([
  'date',
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'message-id',
  'in-reply-to',
  'references',
  'subject',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'content-description',
]);

// RFC 5322 2.2: "printable US-ASCII characters except colon".
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
// Tab is white space in a header; every other control, the Unicode line and paragraph
// separators and lone surrogates are refused.
const FORBIDDEN_IN_TEXT = /(?!\t)[\p{Cc}\u2028\u2029\p{Cs}]/u;
const STRUCTURED_VALUE = /^[\t\x20-\x7e]*$/;
// Everything normaliseSubject turns into a single space.
const SUBJECT_BREAKS = /[ \p{Cc}\u2028\u2029]+/gu;
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * Makes an untrusted one-line text (a pull request title, a commit subject) fit for a Subject:
 * runs of line breaks, tabs, other controls, U+2028/U+2029 and spaces become one space, and the
 * ends are trimmed. Only these characters change, so the title still reads as written.
 */
export function normaliseSubject(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(SUBJECT_BREAKS, ' ').trim();
}

function describeChar(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export class HeaderBlock {
  readonly #fields: { key: string; lines: string }[] = [];

  /** An unstructured field (RFC 5322 3.2.5): Subject or an extra header; encoded as needed. */
  setText(name: string, value: string): this {
    this.#admit(name, 'text');
    const bad = FORBIDDEN_IN_TEXT.exec(value);
    if (bad !== null) {
      throw new MimeInputError(
        name,
        `the value contains ${describeChar(bad[0])} at position ${bad.index}; a header value ` +
          'must be one line without control characters (use normaliseSubject for a subject)',
      );
    }
    // Leading or trailing white space would be lost on unfolding, and a word too long for any
    // line cannot be folded; encoded-words keep the one and split the other.
    const encode = needsEncoding(value) || value !== value.trim() || !fitsFolded(name, value);
    const encoded = encode ? encodeWords(value, 'text', getFirstLineRoom(name)).join(' ') : value;
    return this.#add(name, encoded);
  }

  /** An address field (From, To, Cc, Reply-To, ...): mailboxes separated by commas. */
  setAddresses(name: string, mailboxes: readonly Mailbox[]): this {
    this.#admit(name, 'address');
    if (mailboxes.length === 0) {
      throw new MimeInputError(name, 'at least one address is required');
    }
    // Only the first mailbox shares its line with the field name.
    const room = getFirstLineRoom(name);
    const formatted = mailboxes.map((mailbox, i) =>
      formatMailbox(mailbox, name, i === 0 ? room : undefined),
    );
    return this.#add(name, formatted.join(', '));
  }

  /**
   * A structured field whose value the caller built to its RFC's grammar (Message-ID, Date,
   * MIME-Version, Content-Type, ...). It is still checked: printable ASCII, space and tab only.
   */
  setStructured(name: string, value: string): this {
    this.#admit(name, 'structured');
    const trimmed = value.trim();
    if (trimmed === '' || !STRUCTURED_VALUE.test(trimmed)) {
      throw new MimeInputError(
        name,
        `${quoteValue(value)} is not a valid structured value: ` +
          'it must be non-empty printable ASCII on one line',
      );
    }
    return this.#add(name, trimmed);
  }

  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.#fields.some((field) => field.key === key);
  }

  /** All fields in the order they were set, folded, each line ending in CRLF. */
  toString(): string {
    return this.#fields.map((field) => field.lines).join('');
  }

  #admit(name: string, setter: Setter): void {
    if (!FIELD_NAME.test(name)) {
      throw new MimeInputError(
        'headers',
        `${quoteValue(name)} is not a valid header name: ` +
          'use printable ASCII letters, digits and punctuation other than ":" (RFC 5322 2.2)',
      );
    }
    const key = name.toLowerCase();
    const kind = FIELD_KINDS.get(key);
    if (kind === 'refused') {
      throw new MimeInputError(
        name,
        `${name} is never written into a message; blind copies belong in the SMTP envelope`,
      );
    }
    if (kind !== undefined && kind !== setter) {
      throw new MimeInputError(name, `${name} must be set as a ${kind} field, not as ${setter}`);
    }
    if (SINGLE_FIELDS.has(key) && this.has(key)) {
      throw new MimeInputError(name, `${name} may appear only once in a message (RFC 5322 3.6)`);
    }
  }

  #add(name: string, value: string): this {
    this.#fields.push({ key: name.toLowerCase(), lines: foldField(name, value) });
    return this;
  }
}

import { toAsciiDomain } from './domain.js';
import { MimeInputError } from './errors.js';

// RFC 5322 3.3 wants a four-digit year; years before 1900 are obsolete syntax (4.3).
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;
// RFC 5322 3.6.4 only asks for a unique id; 128 random bits make a collision negligible.
const MESSAGE_ID_RANDOM_BYTES = 16;

/**
 * The RFC 5322 3.3 date-time in UTC, e.g. `Fri, 27 Nov 2026 18:39:27 +0000`. ECMA-262
 * (Date.prototype.toUTCString) fixes the same day, month and field order, with "GMT" where the
 * RFC wants a numeric zone.
 */
export function formatDate(date: Date): string {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new MimeInputError(
      'date',
      `${String(date)} cannot be written as a message date: expected a valid date between ` +
        `${MIN_YEAR} and ${MAX_YEAR}`,
    );
  }
  return date.toUTCString().replace(/ GMT$/, ' +0000');
}

/**
 * A new Message-ID, `<32 hex digits@domain>` (RFC 5322 3.6.4). `randomBytes` is injected so
 * tests can fix it; pass `crypto.getRandomValues`-backed bytes in production.
 */
export function createMessageId(domain: string, randomBytes: (n: number) => Uint8Array): string {
  const asciiDomain = toAsciiDomain(domain, 'message-id');
  const bytes = randomBytes(MESSAGE_ID_RANDOM_BYTES);
  if (bytes.length < MESSAGE_ID_RANDOM_BYTES) {
    throw new RangeError(
      `randomBytes returned ${bytes.length} bytes; a Message-ID needs ${MESSAGE_ID_RANDOM_BYTES}`,
    );
  }
  const hex = Buffer.from(bytes.subarray(0, MESSAGE_ID_RANDOM_BYTES)).toString('hex');
  return `<${hex}@${asciiDomain}>`;
}

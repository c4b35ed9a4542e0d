import { domainToASCII, domainToUnicode } from 'node:url';
import { MimeInputError } from './errors.js';
import { quoteValue } from './quoted-value.js';

// RFC 1123 2.1 / RFC 5321 4.1.2: letters, digits and inner hyphens, 1 to 63 octets.
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// RFC 5321 4.5.3.1.2.
const MAX_DOMAIN_OCTETS = 255;
const ASCII_ONLY = /^\p{ASCII}*$/u;
// A label that claims to be an IDNA A-label (RFC 5890 2.3.2.1).
const A_LABEL = /^xn--/i;

/**
 * Checks a domain name and returns it in ASCII: a non-ASCII (IDNA) name becomes its A-label form
 * (`bücher.example` → `xn--bcher-kva.example`), so the header and the SMTP envelope carry a
 * name every server can read. `entry` is what the user wrote, quoted in the error.
 */
export function toAsciiDomain(domain: string, field: string, entry: string = domain): string {
  const fail = (why: string): never => {
    throw new MimeInputError(
      field,
      `${quoteValue(entry)}: ${why}. Expected a host name such as example.com.`,
    );
  };
  if (domain === '') fail('the domain is missing');
  const ascii = ASCII_ONLY.test(domain) ? domain : domainToASCII(domain);
  if (ascii === '') fail(`${quoteValue(domain)} is not a valid international domain name`);
  if (ascii.length > MAX_DOMAIN_OCTETS) {
    fail(`the domain is longer than ${MAX_DOMAIN_OCTETS} characters`);
  }
  for (const label of ascii.split('.')) {
    if (A_LABEL.test(label) && !isALabel(label)) {
      fail(`the domain label ${quoteValue(label)} is not valid Punycode (RFC 5891 5.4)`);
    }
    if (!HOST_LABEL.test(label)) {
      fail(
        label === ''
          ? 'the domain has an empty label (a leading, trailing or doubled dot)'
          : `the domain label ${quoteValue(label)} is not a valid host name label`,
      );
    }
  }
  return ascii;
}

/**
 * Whether an `xn--` label is a real A-label: it decodes to a U-label that encodes back to it.
 * Node's URL functions answer an invalid one with "" (Node 20) or the label unchanged (Node 24),
 * so both are caught by the round trip.
 */
function isALabel(label: string): boolean {
  const unicode = domainToUnicode(label);
  return unicode !== '' && !A_LABEL.test(unicode) && domainToASCII(unicode) === label.toLowerCase();
}

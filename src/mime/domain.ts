import { domainToASCII } from 'node:url';
import { MimeInputError } from './errors.js';

// RFC 1123 2.1 / RFC 5321 4.1.2: letters, digits and inner hyphens, 1 to 63 octets.
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// RFC 5321 4.5.3.1.2.
const MAX_DOMAIN_OCTETS = 255;
const ASCII_ONLY = /^\p{ASCII}*$/u;

/**
 * Checks a domain name and returns it in ASCII: a non-ASCII (IDNA) name becomes its A-label form
 * (`bücher.example` → `xn--bcher-kva.example`), so the header and the SMTP envelope carry a
 * name every server can read. `entry` is what the user wrote, quoted in the error.
 */
export function toAsciiDomain(domain: string, field: string, entry: string = domain): string {
  const fail = (why: string): never => {
    throw new MimeInputError(
      field,
      `${JSON.stringify(entry)}: ${why}. Expected a host name such as example.com.`,
    );
  };
  if (domain === '') fail('the domain is missing');
  const ascii = ASCII_ONLY.test(domain) ? domain : domainToASCII(domain);
  if (ascii === '') fail(`${JSON.stringify(domain)} is not a valid international domain name`);
  if (ascii.length > MAX_DOMAIN_OCTETS) {
    fail(`the domain is longer than ${MAX_DOMAIN_OCTETS} characters`);
  }
  for (const label of ascii.split('.')) {
    if (!HOST_LABEL.test(label)) {
      fail(
        label === ''
          ? 'the domain has an empty label (a leading, trailing or doubled dot)'
          : `the domain label ${JSON.stringify(label)} is not a valid host name label`,
      );
    }
  }
  return ascii;
}

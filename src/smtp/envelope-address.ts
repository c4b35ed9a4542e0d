import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { SmtpInputError } from './errors.js';
import { quoteValue } from './reply-text.js';

/** An envelope mailbox as it goes between the angle brackets of MAIL FROM or RCPT TO. */
export interface EnvelopeAddress {
  wire: string;
  /** The local part is not ASCII, so MAIL FROM must carry SMTPUTF8 (RFC 6531 3.4). */
  needsSmtpUtf8: boolean;
}

// RFC 5321 4.5.3.1.1-3: local part 64 octets, domain 255, path 256 including `<` and `>`.
const MAX_LOCAL_PART = 64;
const MAX_DOMAIN = 255;
const MAX_PATH = 256;

// RFC 5321 4.1.2 atext, extended by RFC 6531 3.3 with any non-ASCII character.
const DOT_STRING =
  /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10ffff}]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10ffff}]+)*$/u;
// RFC 5321 4.1.2 Quoted-string: qtextSMTP (printable ASCII but `"` and `\`) or `\` + printable.
const QUOTED_STRING =
  /^"([\u0020-\u0021\u0023-\u005b\u005d-\u007e\u0080-\u{10ffff}]|\\[\u0020-\u007e])*"$/u;
// RFC 5321 4.1.2 sub-domain: Let-dig [Ldh-str]; RFC 1035 2.3.4: labels of at most 63 octets.
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// Controls, DEL, C1, line separators and lone surrogates: nothing that could end a line.
// eslint-disable-next-line no-control-regex -- matching controls is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/u;

const NON_ASCII = /\P{ASCII}/u;

const utf8 = new TextEncoder();

function octets(text: string): number {
  return utf8.encode(text).length;
}

function refuse(address: string, reason: string): never {
  throw new SmtpInputError(`The envelope address ${quoteValue(address)} is not valid: ${reason}`);
}

function checkLocalPart(address: string, local: string): void {
  if (local === '') refuse(address, 'the part before "@" is empty.');
  if (octets(local) > MAX_LOCAL_PART) {
    refuse(address, `the part before "@" is over ${MAX_LOCAL_PART} octets (RFC 5321 4.5.3.1.1).`);
  }
  const valid = local.startsWith('"') ? QUOTED_STRING.test(local) : DOT_STRING.test(local);
  if (!valid) {
    refuse(
      address,
      'the part before "@" must be dot-separated words without spaces, or a quoted string ' +
        '(RFC 5321 4.1.2). Give one address per entry, without a display name.',
    );
  }
}

function checkAddressLiteral(address: string, domain: string): string {
  const inner = domain.slice(1, -1);
  // RFC 5321 4.1.3: `[1.2.3.4]` or `[IPv6:...]`; general literals have no use here.
  const valid =
    domain.endsWith(']') && (isIPv4(inner) || (/^IPv6:/i.test(inner) && isIPv6(inner.slice(5))));
  if (!valid) refuse(address, 'the address literal must be [IPv4] or [IPv6:address].');
  return domain;
}

/** The domain in ASCII: A-labels for an internationalised name (RFC 5891, via UTS 46). */
function prepareDomain(address: string, domain: string): string {
  if (domain === '') refuse(address, 'the part after "@" is empty.');
  if (domain.startsWith('[')) return checkAddressLiteral(address, domain);
  // domainToASCII parses a URL host: it would cut `ü/x` down to `xn--tda`. Only name
  // characters may reach it, so nothing is silently dropped.
  if (!/^[A-Za-z0-9.\-\P{ASCII}]+$/u.test(domain)) {
    refuse(address, 'the domain may contain only letters, digits, hyphens and dots.');
  }
  const ascii = NON_ASCII.test(domain) ? domainToASCII(domain) : domain;
  if (ascii === '') refuse(address, 'the domain cannot be converted to an ASCII (A-label) name.');
  if (ascii.length > MAX_DOMAIN) {
    refuse(address, `the domain is over ${MAX_DOMAIN} octets (RFC 5321 4.5.3.1.2).`);
  }
  if (!ascii.split('.').every((label) => LABEL.test(label))) {
    refuse(
      address,
      'the domain must be dot-separated labels of letters, digits and inner hyphens ' +
        '(RFC 5321 4.1.2).',
    );
  }
  return ascii;
}

/**
 * Checks one envelope mailbox (RFC 5321 4.1.2: Local-part "@" Domain) and returns its wire
 * form. A non-ASCII domain becomes its A-label; a non-ASCII local part is kept and needs
 * SMTPUTF8 (RFC 6531). Anything else, such as a display name or a list, is refused.
 */
export function prepareEnvelopeAddress(address: string): EnvelopeAddress {
  if (typeof address !== 'string' || address === '') refuse(String(address), 'it is empty.');
  if (CONTROL.test(address)) refuse(address, 'it contains a control character or line break.');
  // `<` and `>` delimit the path on the wire; quoted local parts may not use them either here.
  if (/[<>]/.test(address)) {
    refuse(address, 'give the bare address, without a display name or angle brackets.');
  }
  const at = address.lastIndexOf('@');
  if (at === -1) refuse(address, 'it has no "@".');
  const local = address.slice(0, at);
  checkLocalPart(address, local);
  const domain = prepareDomain(address, address.slice(at + 1));
  const wire = `${local}@${domain}`;
  if (octets(wire) + 2 > MAX_PATH) {
    refuse(address, `it is over ${MAX_PATH - 2} octets (RFC 5321 4.5.3.1.3).`);
  }
  return { wire, needsSmtpUtf8: NON_ASCII.test(local) };
}

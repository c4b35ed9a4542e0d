import { isIPv4, isIPv6 } from 'node:net';
import { hostname } from 'node:os';

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A fully qualified domain name: two labels or more, each a valid host name label. */
export function isFullyQualified(name: string): boolean {
  const labels = name.replace(/\.$/, '').split('.');
  // A numeric last label is an IPv4 address written without the brackets RFC 5321 4.1.3 wants.
  const numericTop = /^[0-9]+$/.test(labels.at(-1) ?? '');
  return (
    name.length <= 253 &&
    labels.length >= 2 &&
    !numericTop &&
    labels.every((label) => LABEL.test(label))
  );
}

/** RFC 5321 4.1.1.1: what EHLO may carry, a fully qualified domain name or an address literal. */
export function isValidEhloName(name: string): boolean {
  return isFullyQualified(name) || isAddressLiteral(name);
}

/** RFC 5321 4.1.3: an address literal, `[192.0.2.1]` or `[IPv6:2001:db8::1]`. */
export function addressLiteral(address: string): string | undefined {
  const mapped = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(mapped)) return `[${mapped}]`;
  if (isIPv6(address)) return `[IPv6:${address}]`;
  return undefined;
}

/** Whether `name` is an address literal as RFC 5321 4.1.3 writes one. */
export function isAddressLiteral(name: string): boolean {
  const inner = /^\[(.*)\]$/.exec(name)?.[1];
  if (inner === undefined) return false;
  return inner.startsWith('IPv6:') ? isIPv6(inner.slice(5)) : isIPv4(inner);
}

/**
 * The name to greet with when none is given. RFC 5321 4.1.1.1 wants the client's FQDN, or an
 * address literal when it has none; a bare host name (what CI runners usually have) is neither
 * and some servers refuse it (Postfix `reject_non_fqdn_helo_hostname`). The local address of
 * the connection is what the server sees, so its literal is the honest fallback.
 */
export function defaultEhloName(localAddress: string | undefined, host = hostname()): string {
  if (isFullyQualified(host)) return host.replace(/\.$/, '');
  return addressLiteral(localAddress ?? '') ?? '[127.0.0.1]';
}

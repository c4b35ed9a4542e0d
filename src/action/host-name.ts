/**
 * Checks a host name input (`server`, `tls-servername`, the host of `connection-url`) and, for
 * the mistakes people actually make (`smtp.gmail.com:587`, `smtps://smtp.gmail.com`), says which
 * input the extra part belongs in.
 */
import { isIP } from 'node:net';
import { ActionInputError } from './action-input-error.js';

// RFC 1123 2.1 labels (letters, digits, hyphens inside; underscores tolerated as many resolvers
// do), at most 63 octets each and 253 in all; a trailing dot (fully qualified) is allowed.
const HOST_NAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

const HOST_AND_PORT = /^[^:]+:[0-9]*$/;

export interface HostCheck {
  /** The input the value came from, for the error. */
  input: string;
  /** False for a host taken out of a secret (the connection URL): the error will not quote it. */
  quote: boolean;
  /** Whether an IP address is acceptable (not for a certificate name). */
  allowIp: boolean;
}

/** Returns the host without IPv6 brackets, or throws ActionInputError naming the input. */
export function checkHostName(value: string, check: HostCheck): string {
  const shown = check.quote ? `${JSON.stringify(value)} ` : 'the host ';
  const fail = (why: string): never => {
    throw new ActionInputError(check.input, `${shown}${why}`);
  };
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIP(bare) !== 0) {
    if (!check.allowIp) fail('is an IP address; give the DNS name the certificate lists.');
    return bare;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) || /[/@?#]/.test(value)) {
    fail(
      'looks like a URL: give only the host name (smtp.example.com) and set port and tls, ' +
        'or give the whole URL as connection-url.',
    );
  }
  if (HOST_AND_PORT.test(value)) {
    fail('includes a port: give only the host name here and the port in the "port" input.');
  }
  if (!HOST_NAME.test(value)) {
    fail('is not a host name or IP address (expected e.g. smtp.example.com or 192.0.2.10).');
  }
  return value;
}

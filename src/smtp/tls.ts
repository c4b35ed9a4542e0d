import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { SmtpInputError, SmtpTlsError, type SmtpPhase } from './errors.js';
import { formatEndpoint, isTransientNetworkCode } from './net-connect.js';

/**
 * How the connection is protected. Each choice trades security for reach:
 *
 * - `implicit`: TLS from the first byte (RFC 8314 3.3, usually port 465). Nothing is ever sent
 *   in clear text, and an attacker on the path can only block the connection, not downgrade it.
 *   The safest choice when the server offers it.
 * - `starttls`: connect in clear text and upgrade with STARTTLS (RFC 3207, usually port 587).
 *   The upgrade is REQUIRED: when the server does not offer it the session fails rather than go
 *   on in clear text, because an attacker who strips the offer (CVE-2016-0772) would otherwise
 *   read the password. The greeting and first EHLO are still sent unprotected.
 * - `none`: no TLS at all. Everything, credentials included, crosses the network readable by
 *   anyone on the path. Only for a relay on the same host or a trusted private network.
 */
export type TlsMode = 'implicit' | 'starttls' | 'none';

/** Every TLS mode, for validating inputs. */
export const tlsModes: readonly TlsMode[] = ['implicit', 'starttls', 'none'];

export interface TlsSettings {
  /**
   * PEM text (not a path) of one or more private CA certificates to trust IN ADDITION to Node's
   * default roots. Adding rather than replacing means a setting meant for a private relay cannot
   * break a later switch to a public provider; to pin a CA, rely on the name check instead.
   */
  ca?: string;
  /**
   * The name to check the server's certificate against (and to send as SNI) when it differs
   * from the host connected to, e.g. when the host is given as an IP address.
   */
  servername?: string;
  /**
   * Skips every certificate check: expiry, issuer and name. The connection is still encrypted
   * but anyone on the path can impersonate the server and read the password. Last resort for
   * a test server; never for a real one.
   */
  dangerouslyAcceptInvalidCertificates?: boolean;
}

/** What was negotiated, for logs. */
export interface TlsInfo {
  protocol: string;
  cipher: string;
}

/** Where a TLS failure happened, so its message can name the endpoint and the likely fix. */
export interface TlsErrorContext {
  host: string;
  port: number;
  mode: TlsMode;
  phase: SmtpPhase;
  servername?: string | undefined;
  /** Bytes the server sent during the handshake, before it failed. */
  handshakeBytes?: number;
}

const pemCertificate = /-----BEGIN CERTIFICATE-----/;

/**
 * The options for `tls.connect`: certificates verified by default against the name the user
 * gave, SNI set, TLS 1.2 at least (RFC 8996 deprecates 1.0 and 1.1; RFC 8314 4.1 wants current
 * TLS for submission).
 */
export function buildTlsOptions(host: string, settings: TlsSettings = {}): tls.ConnectionOptions {
  const verifyName = settings.servername ?? host;
  const options: tls.ConnectionOptions = {
    minVersion: 'TLSv1.2',
    rejectUnauthorized: settings.dangerouslyAcceptInvalidCertificates !== true,
    // Node's own check, pinned to the name the user asked for: after STARTTLS there is no
    // `host` option to fall back on, and an IP has no SNI to carry the name.
    checkServerIdentity: (_name, cert) => tls.checkServerIdentity(verifyName, cert),
  };
  // RFC 6066 3: "Literal IPv4 and IPv6 addresses are not permitted in HostName."
  if (isIP(verifyName) === 0) options.servername = verifyName;
  if (settings.ca !== undefined) options.ca = [...defaultCertificates(), ...splitPem(settings.ca)];
  return options;
}

/** Node 22+ reports the roots it uses by default, including NODE_EXTRA_CA_CERTS; 20 only the bundle. */
function defaultCertificates(): readonly string[] {
  const getCa = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
  return typeof getCa === 'function' ? getCa('default') : tls.rootCertificates;
}

function splitPem(pem: string): string[] {
  if (!pemCertificate.test(pem)) {
    throw new SmtpInputError(
      'The TLS "ca" setting must hold PEM text starting with "-----BEGIN CERTIFICATE-----" ' +
        '(the certificate itself, not a path to it).',
    );
  }
  return [pem];
}

/** OpenSSL codes for "the peer did not speak TLS": a plaintext reply read as a TLS record. */
const notTlsCodes = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_UNKNOWN_PROTOCOL',
  'ERR_SSL_RECORD_LAYER_FAILURE',
]);

const notTlsText = /wrong version number|packet length too long/i;

const untrustedCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const oldProtocolCodes = new Set([
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
]);

/**
 * Turns a TLS failure into an SmtpTlsError whose message says what to do. The cause keeps the
 * original error for debugging.
 */
export function describeTlsError(error: unknown, context: TlsErrorContext): SmtpTlsError {
  const where = formatEndpoint(context.host, context.port);
  // OpenSSL's `reason` is the readable part ("wrong version number") of a multi-line message.
  const reason = (error as { reason?: unknown } | null)?.reason;
  const message = error instanceof Error ? error.message : String(error);
  const detail = typeof reason === 'string' ? reason : message;
  const code = errorCode(error);
  const advice = chooseAdvice(code, detail, context);
  return new SmtpTlsError(
    `TLS with ${where} failed (${detail.replace(/\s+/g, ' ').trim()}). ${advice}`,
    {
      phase: context.phase,
      command: context.phase === 'starttls' ? 'STARTTLS' : undefined,
      cause: error,
      // A handshake the network cut may pass next time; a certificate or version problem not.
      transient: isTransientNetworkCode(code),
    },
  );
}

function chooseAdvice(code: string | undefined, detail: string, context: TlsErrorContext): string {
  const name = context.servername ?? context.host;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return (
      `The server's certificate is not valid for "${name}": connect using a name the ` +
      'certificate lists, or set the TLS servername setting to that name.'
    );
  }
  if (code !== undefined && untrustedCodes.has(code)) {
    return (
      "The server's certificate is not signed by a trusted authority: if the server uses a " +
      'private CA, give its certificate (PEM) in the TLS ca setting.'
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    const state = code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet';
    return `The server's certificate ${state}: its administrator must renew it (or a clock is wrong).`;
  }
  if (code !== undefined && oldProtocolCodes.has(code)) {
    return 'The server does not support TLS 1.2 or later, which this client requires (RFC 8996).';
  }
  if ((code !== undefined && notTlsCodes.has(code)) || notTlsText.test(detail)) {
    return portModeAdvice(context);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    // After a 220 to STARTTLS the server has greeted in clear text and agreed to TLS; a server
    // that sent handshake bytes speaks TLS (one speaking clear text fails as "wrong version
    // number"). Either way the port and the mode agree: the network or the server dropped it.
    if (context.mode !== 'implicit') {
      return 'The connection was lost during the handshake the server had agreed to with STARTTLS; trying again may work.';
    }
    if ((context.handshakeBytes ?? 0) > 0) {
      return 'The connection was lost during the handshake, after the server had answered in TLS; trying again may work.';
    }
    return `The server closed the connection during the handshake. ${portModeAdvice(context)}`;
  }
  return 'The TLS handshake failed.';
}

/**
 * The hint for a client and server that disagree on when TLS starts: a plaintext greeting where
 * a TLS handshake was expected, or a server silently waiting for a handshake that never comes.
 */
export function portModeAdvice(context: Pick<TlsErrorContext, 'port' | 'mode'>): string {
  if (context.mode === 'implicit') {
    return (
      `The server on port ${context.port} does not seem to speak TLS from the first byte: the ` +
      "port and the TLS mode probably disagree. Use tls mode 'starttls' for a port that greets " +
      'in clear text (usually 587 or 25), or port 465 for implicit TLS.'
    );
  }
  return (
    `The port and the TLS mode probably disagree: port ${context.port} may expect TLS from the ` +
    "first byte (usually 465), which needs tls mode 'implicit'."
  );
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

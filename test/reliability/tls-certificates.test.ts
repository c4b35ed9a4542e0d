/**
 * TLS faults, part 3 of issue 6: certificates a client must refuse, each served by the real
 * smtp-server through STARTTLS and through implicit TLS, the client trusting only the test CA
 * (test/fixtures/tls/generate.sh makes them). For each: an SmtpTlsError in the step TLS starts
 * in, a message that says what to do, the action's advice naming the input that fixes it (and
 * no other), no retry (a certificate does not fix itself), and nothing of the credentials or
 * the message sent. Where the advice names an input, following it makes the session work.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import { SmtpTlsError, verifyConnection, type TlsSettings } from '../../src/smtp/index.js';
import { captureForHygiene } from '../helpers/hygiene.js';
import { testCa } from '../helpers/tls-fixtures.js';
import { deliverWithoutWaits } from './delivery-without-waits.js';
import {
  captureFailure,
  networkMessage,
  networkSend,
  proxyFor,
  startAuthServer,
  type Defer,
} from './network-session.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');

interface CertificateCase {
  name: string;
  /** The fixture pair the server presents: `<file>.pem` and `<file>-key.pem`. */
  file: string;
  /** The OpenSSL or Node code of the refusal. */
  code: string;
  /** What the client's message must say. */
  says: RegExp;
  /** The input the advice must name, or none when no input is a fix. */
  input: '`tls-servername`' | '`tls-ca`' | undefined;
  /** The settings the advice leads to, with which the same server is accepted. */
  fix?: TlsSettings;
}

/** What the client says of a certificate no CA it trusts has signed, self-signed or not. */
const untrusted =
  /not signed by a trusted authority: if the server uses a private CA, give its certificate \(PEM\) in the TLS ca setting/;

const certificates: CertificateCase[] = [
  {
    name: 'a certificate for another host name',
    file: 'wrong-name',
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    says: /not valid for "127\.0\.0\.1": connect using a name the certificate lists, or set the TLS servername setting/,
    input: '`tls-servername`',
    fix: { ca: testCa, servername: 'mail.other.test' },
  },
  {
    name: 'an expired certificate',
    file: 'expired',
    code: 'CERT_HAS_EXPIRED',
    says: /certificate has expired: its administrator must renew it/,
    input: undefined,
  },
  {
    name: 'a self-signed certificate',
    file: 'self-signed',
    code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    says: untrusted,
    input: '`tls-ca`',
    fix: { ca: fixture('self-signed.pem') },
  },
  {
    name: 'a certificate from a CA the client does not trust',
    file: 'other-ca-server',
    code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    says: untrusted,
    input: '`tls-ca`',
    fix: { ca: fixture('other-ca.pem') },
  },
];

const modes = [
  { tls: 'starttls', phase: 'starttls' },
  { tls: 'implicit', phase: 'connect' },
] as const;

const cases = certificates.flatMap((certificate) =>
  modes.map((mode) => ({ ...certificate, ...mode })),
);

/** The real server presenting `file`, behind a proxy that records what the client sent. */
async function serverPresenting(file: string, secure: boolean, defer: Defer) {
  const running = await startAuthServer(defer, {
    secure,
    key: fixture(`${file}-key.pem`),
    cert: fixture(`${file}.pem`),
  });
  const proxy = await proxyFor(defer, running.port);
  return { running, proxy };
}

describe.concurrent('certificates the client refuses', () => {
  it.for(cases)('$name, tls $tls', async (certificate, { onTestFinished }) => {
    const { running, proxy } = await serverPresenting(
      certificate.file,
      certificate.tls === 'implicit',
      onTestFinished,
    );
    const server = networkSend(proxy.port, certificate.tls);
    const report = await deliverWithoutWaits(server, networkMessage, 2);
    const error = report.error;
    expect(error).toBeInstanceOf(SmtpTlsError);
    if (error === undefined) return;
    captureFailure(`TLS certificate (${certificate.name}, ${certificate.tls})`, error, server);
    expect(error.phase).toBe(certificate.phase);
    expect((error.cause as { code?: string }).code).toBe(certificate.code);
    expect(error.message).toMatch(certificate.says);
    expect(error.transient).toBe(false);
    // Not retried: trying again meets the same certificate.
    expect(report).toMatchObject({ result: 'failed', attempts: 1 });
    expect(proxy.connections).toHaveLength(1);
    const advice = adviseOnFailure(error, server);
    for (const input of ['`tls-servername`', '`tls-ca`']) {
      if (input === certificate.input) expect(advice).toContain(input);
      else expect(advice).not.toContain(input);
    }
    // Nothing but EHLO and STARTTLS in clear text; no AUTH and no MAIL reached the server.
    const clear = proxy.connections[0]?.fromClient.toString('latin1') ?? '';
    const plaintext = certificate.tls === 'starttls' ? clear.slice(0, clear.indexOf('\x16')) : '';
    expect(plaintext).toMatch(
      certificate.tls === 'starttls' ? /^EHLO [^\r]+\r\nSTARTTLS\r\n$/ : /^$/,
    );
    expect(running.mailCommands).toBe(0);
  });
});

describe.concurrent('the advice, followed', () => {
  const fixable = cases.filter((c) => c.fix !== undefined);

  it.for(fixable)('$name, tls $tls: accepted with the setting it names', async (certificate, t) => {
    const { proxy } = await serverPresenting(
      certificate.file,
      certificate.tls === 'implicit',
      t.onTestFinished,
    );
    const options = { ...networkSend(proxy.port, certificate.tls), tlsOptions: certificate.fix };
    const report = await verifyConnection(options);
    captureForHygiene('TLS certificate fixed: transcript', JSON.stringify(report.transcript));
    expect(report.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(report.authMechanism).toBe('PLAIN');
  });
});

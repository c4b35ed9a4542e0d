import { rootCertificates, type TlsOptions } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpConnection } from '../../src/smtp/connection.js';
import { SmtpInputError, SmtpTlsError } from '../../src/smtp/errors.js';
import { resolveTimeouts } from '../../src/smtp/timeouts.js';
import { buildTlsOptions, describeTlsError, type TlsSettings } from '../../src/smtp/tls.js';
import { Transcript } from '../../src/smtp/transcript.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { testCa } from '../helpers/tls-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function implicitServer(tls: TlsOptions = {}): Promise<ScriptedServer> {
  const server = await startScriptedServer([{ send: '220 tls.test ESMTP\r\n' }], {
    implicitTls: tls,
  });
  cleanups.push(() => server.close());
  return server;
}

async function openImplicit(
  port: number,
  tlsSettings: TlsSettings,
  host = '127.0.0.1',
): Promise<SmtpConnection> {
  const connection = await SmtpConnection.open({
    host,
    port,
    tls: 'implicit',
    tlsSettings,
    transcript: new Transcript(),
    timeouts: resolveTimeouts({ connect: 2_000 }),
  });
  cleanups.push(() => connection.destroy());
  return connection;
}

async function failure(body: () => Promise<unknown>): Promise<Error> {
  try {
    await body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const greeting = { phase: 'greeting', command: '', timeoutMs: 2_000 } as const;

describe('buildTlsOptions', () => {
  it('verifies by default, requires TLS 1.2 and sends the host name as SNI', () => {
    const options = buildTlsOptions('mail.example.com', {});
    expect(options).toMatchObject({
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      servername: 'mail.example.com',
    });
    expect(options.ca).toBeUndefined(); // Node's default roots
  });

  it('never sends an IP address as SNI (RFC 6066 3)', () => {
    expect(buildTlsOptions('192.0.2.1', {}).servername).toBeUndefined();
    expect(buildTlsOptions('::1', {}).servername).toBeUndefined();
    expect(buildTlsOptions('192.0.2.1', { servername: '198.51.100.7' }).servername).toBe(undefined);
    expect(buildTlsOptions('192.0.2.1', { servername: 'mail.test' }).servername).toBe('mail.test');
  });

  it('adds a given CA to the default roots rather than replacing them', () => {
    const ca = buildTlsOptions('localhost', { ca: testCa }).ca as string[];
    expect(ca).toContain(testCa);
    expect(ca.length).toBeGreaterThanOrEqual(rootCertificates.length + 1);
  });

  it('refuses a CA that is not PEM text, e.g. a path', () => {
    expect(() => buildTlsOptions('localhost', { ca: '/etc/ssl/ca.pem' })).toThrow(SmtpInputError);
  });

  it('turns off verification only when told to, dangerously', () => {
    const options = buildTlsOptions('localhost', { dangerouslyAcceptInvalidCertificates: true });
    expect(options.rejectUnauthorized).toBe(false);
  });
});

describe('implicit TLS against the test certificate', () => {
  it('connects when the test CA is given, and reads the greeting over TLS', async () => {
    const server = await implicitServer();
    const connection = await openImplicit(server.port, { ca: testCa });
    expect(connection.secure).toBe(true);
    expect(connection.tlsInfo?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect((await connection.readReply(greeting)).lines).toEqual(['tls.test ESMTP']);
  });

  it('verifies a name given as servername when connecting to an IP', async () => {
    const server = await implicitServer();
    const settings = { ca: testCa, servername: 'mail.smtp-notify.test' };
    const connection = await openImplicit(server.port, settings);
    expect(connection.secure).toBe(true);
  });

  it('refuses a certificate for another name and says to set servername', async () => {
    const server = await implicitServer();
    const settings = { ca: testCa, servername: 'wrong.example' };
    const error = await failure(() => openImplicit(server.port, settings));
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error).toMatchObject({ phase: 'connect' });
    expect(error.message).toMatch(/not valid for "wrong\.example".*servername setting/);
  });

  it('refuses a certificate from an unknown CA and says to give the CA', async () => {
    const server = await implicitServer();
    const error = await failure(() => openImplicit(server.port, {}));
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.message).toMatch(/not signed by a trusted authority.*TLS ca setting/);
  });

  it('accepts anything with dangerouslyAcceptInvalidCertificates', async () => {
    const server = await implicitServer();
    const settings = { servername: 'wrong.example', dangerouslyAcceptInvalidCertificates: true };
    const connection = await openImplicit(server.port, settings);
    expect((await connection.readReply(greeting)).code).toBe(220);
  });

  it('refuses a server that offers nothing newer than TLS 1.1', async () => {
    // SECLEVEL=0 lets OpenSSL 3 offer TLS 1.1 at all; the client must still say no.
    const server = await implicitServer({
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    const error = await failure(() => openImplicit(server.port, { ca: testCa }));
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.message).toContain('does not support TLS 1.2 or later');
  });

  it('says port and mode disagree when the server speaks plaintext', async () => {
    const server = await startScriptedServer([{ send: '220 plain ESMTP\r\n' }]);
    cleanups.push(() => server.close());
    const error = await failure(() => openImplicit(server.port, { ca: testCa }));
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.message).toMatch(/port and the TLS mode probably disagree/);
    expect(error.message).toContain("tls mode 'starttls'");
  });
});

describe('describeTlsError', () => {
  const context = { host: 'mail.test', port: 465, mode: 'implicit', phase: 'connect' } as const;

  it('keeps the original error as the cause', () => {
    const original = Object.assign(new Error('certificate has expired'), {
      code: 'CERT_HAS_EXPIRED',
    });
    const error = describeTlsError(original, context);
    expect(error.cause).toBe(original);
    expect(error.message).toContain('expired');
    expect(error.message).toContain('mail.test:465');
  });

  it('marks a handshake the network cut as transient, and a certificate problem as not', () => {
    const failure = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']) {
      expect(describeTlsError(failure(code), context).transient).toBe(true);
    }
    for (const code of [
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ERR_SSL_WRONG_VERSION_NUMBER',
    ]) {
      expect(describeTlsError(failure(code), context).transient).toBe(false);
    }
  });
});

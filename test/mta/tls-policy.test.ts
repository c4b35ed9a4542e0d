import { describe, expect, it } from 'vitest';
import { sendMail, SmtpError, SmtpTlsError } from '../../src/smtp/index.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { buildMessage, createToken, waitForDelivery, wasDelivered } from './maildir.js';
import { mta, requireMta } from './mta-settings.js';

// The plain port (10025) offers neither STARTTLS nor AUTH; these are the downgrade cases a
// client must refuse instead of sending in the clear (CVE-2016-0772-style STARTTLS stripping).

async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe.skipIf(mta === undefined)('TLS and AUTH policy against Postfix', () => {
  it("the plain port delivers with tls: 'none' and no credentials (the control case)", async () => {
    const { host, ports, maildir } = requireMta();
    const token = createToken();
    const result = await sendMail({
      host,
      port: ports.plain,
      tls: 'none',
      envelope: { from: 'tester@smtp-notify.test', to: ['inbox@smtp-notify.test'] },
      message: buildMessage(token),
    });
    expect(result.tls).toBeUndefined();
    expect(result.authMechanism).toBeUndefined();
    await waitForDelivery(maildir, 'inbox', token);
  });

  it("tls: 'starttls' against a server without STARTTLS fails with SmtpTlsError, nothing sent", async () => {
    const { host, ports, ca, maildir } = requireMta();
    const token = createToken();
    const error = await catchError(
      sendMail({
        host,
        port: ports.plain,
        tls: 'starttls',
        tlsOptions: { ca },
        envelope: { from: 'tester@smtp-notify.test', to: ['inbox@smtp-notify.test'] },
        message: buildMessage(token),
      }),
    );
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect((error as SmtpError).message).toMatch(/STARTTLS/);
    expect(['ehlo', 'starttls']).toContain((error as SmtpError).phase);
    expect(await wasDelivered(maildir, 'inbox', token)).toBe(false);
  });

  it("credentials with tls: 'none' against a server without AUTH fail, nothing sent", async () => {
    const { host, ports, user, password, maildir } = requireMta();
    const token = createToken();
    const error = await catchError(
      sendMail({
        host,
        port: ports.plain,
        tls: 'none',
        auth: { username: user, password, mechanism: 'auto' },
        envelope: { from: user, to: ['inbox@smtp-notify.test'] },
        message: buildMessage(token),
      }),
    );
    // Either refused up front (credentials without TLS) or because AUTH is not offered; in
    // neither case may the client go on and send the mail unauthenticated.
    expect(error).toBeInstanceOf(SmtpError);
    expect(['input', 'auth']).toContain((error as SmtpError).phase);
    assertNoSecrets(
      [(error as Error).message, JSON.stringify({ ...(error as object) })].join('\n'),
      [password, `\0${user}\0${password}`],
    );
    expect(await wasDelivered(maildir, 'inbox', token)).toBe(false);
  });

  it('implicit TLS without the test CA fails certificate verification with SmtpTlsError', async () => {
    const { host, ports, user, password } = requireMta();
    const error = await catchError(
      sendMail({
        host,
        port: ports.smtps,
        tls: 'implicit',
        auth: { username: user, password, mechanism: 'auto' },
        envelope: { from: user, to: ['inbox@smtp-notify.test'] },
        message: buildMessage(createToken()),
      }),
    );
    expect(error).toBeInstanceOf(SmtpTlsError);
  });

  it('STARTTLS to a name the certificate does not cover fails with SmtpTlsError', async () => {
    const { host, ports, ca, user, password } = requireMta();
    const error = await catchError(
      sendMail({
        host,
        port: ports.submission,
        tls: 'starttls',
        tlsOptions: { ca, servername: 'wrong.example.test' },
        auth: { username: user, password, mechanism: 'auto' },
        envelope: { from: user, to: ['inbox@smtp-notify.test'] },
        message: buildMessage(createToken()),
      }),
    );
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect((error as SmtpError).phase).toBe('starttls');
  });

  it('implicit TLS verifies the IP address SAN when no servername is given', async () => {
    const { host, ports, ca, user, password, maildir } = requireMta();
    const token = createToken();
    const result = await sendMail({
      host,
      port: ports.smtps,
      tls: 'implicit',
      tlsOptions: { ca },
      auth: { username: user, password, mechanism: 'auto' },
      envelope: { from: user, to: ['inbox@smtp-notify.test'] },
      message: buildMessage(token),
    });
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    await waitForDelivery(maildir, 'inbox', token);
  });
});

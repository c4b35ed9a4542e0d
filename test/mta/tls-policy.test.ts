import { describe, expect, it } from 'vitest';
import { sendMail, SmtpError, SmtpTlsError } from '../../src/smtp/index.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { createToken, waitForDelivery, wasDelivered } from './maildir.js';
import { catchSendError, describeError, mtaLogin, mtaOptions, secretsOf } from './mta-send.js';
import { mta, requireMta } from './mta-settings.js';

// The plain port (10025) offers neither STARTTLS nor AUTH; these are the downgrade cases a
// client must refuse instead of sending in the clear (CVE-2016-0772-style STARTTLS stripping).

describe.skipIf(mta === undefined)('TLS and AUTH policy against Postfix', () => {
  it("the plain port delivers with tls: 'none' and no credentials (the control case)", async () => {
    const { ports, maildir } = requireMta();
    const token = createToken();
    const result = await sendMail(mtaOptions(token, { port: ports.plain, tls: 'none' }));
    expect(result.tls).toBeUndefined();
    expect(result.authMechanism).toBeUndefined();
    await waitForDelivery(maildir, 'inbox', token);
  });

  it("tls: 'starttls' against a server without STARTTLS fails with SmtpTlsError, nothing sent", async () => {
    const { ports, ca, maildir } = requireMta();
    const token = createToken();
    const error = await catchSendError(
      mtaOptions(token, { port: ports.plain, tls: 'starttls', tlsOptions: { ca } }),
    );
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect((error as SmtpError).message).toMatch(/STARTTLS/);
    expect(['ehlo', 'starttls']).toContain((error as SmtpError).phase);
    expect(await wasDelivered(maildir, 'inbox', token)).toBe(false);
  });

  it("credentials with tls: 'none' against a server without AUTH fail, nothing sent", async () => {
    const { ports, user, password, maildir } = requireMta();
    const token = createToken();
    const error = await catchSendError(
      mtaOptions(token, { port: ports.plain, tls: 'none', auth: mtaLogin('auto') }),
    );
    // Either refused up front (credentials without TLS) or because AUTH is not offered; in
    // neither case may the client go on and send the mail unauthenticated.
    expect(error).toBeInstanceOf(SmtpError);
    expect(['input', 'auth']).toContain((error as SmtpError).phase);
    assertNoSecrets(describeError(error), secretsOf(user, password));
    expect(await wasDelivered(maildir, 'inbox', token)).toBe(false);
  });

  it('implicit TLS without the test CA fails certificate verification with SmtpTlsError', async () => {
    const { ports } = requireMta();
    const error = await catchSendError(
      mtaOptions(createToken(), { port: ports.smtps, tls: 'implicit', auth: mtaLogin('auto') }),
    );
    expect(error).toBeInstanceOf(SmtpTlsError);
  });

  it('STARTTLS to a name the certificate does not cover fails with SmtpTlsError', async () => {
    const { ports, ca } = requireMta();
    const error = await catchSendError(
      mtaOptions(createToken(), {
        port: ports.submission,
        tls: 'starttls',
        tlsOptions: { ca, servername: 'wrong.example.test' },
        auth: mtaLogin('auto'),
      }),
    );
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect((error as SmtpError).phase).toBe('starttls');
  });

  it('implicit TLS verifies the IP address SAN when no servername is given', async () => {
    const { ports, ca, maildir } = requireMta();
    const token = createToken();
    const result = await sendMail(
      mtaOptions(token, {
        port: ports.smtps,
        tls: 'implicit',
        tlsOptions: { ca },
        auth: mtaLogin('auto'),
      }),
    );
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    await waitForDelivery(maildir, 'inbox', token);
  });
});

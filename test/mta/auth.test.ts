import { describe, expect, it } from 'vitest';
import { sendMail, SmtpAuthError, SmtpError } from '../../src/smtp/index.js';
import { captureErrorForHygiene, captureForHygiene, TEST_PASSWORD } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { createToken, splitDelivered, waitForDelivery, wasDelivered } from './maildir.js';
import {
  catchSendError,
  describeError,
  mtaLogin,
  mtaOptions,
  secretsOf,
  type Mechanism,
} from './mta-send.js';
import { mta, requireMta } from './mta-settings.js';

// Postfix (smtpd_sasl_type = dovecot) with Dovecot 2.3 behind it; see test/mta/setup.sh.
// These tests log in with the MTA's own password (setup.sh), not TEST_PASSWORD: the closing
// hygiene check of the mta project (test/hygiene) looks for both in every transcript and error
// captured.

/** A transcript as a log would show it, handed to the hygiene check. */
function captureTranscript(result: { transcript: unknown; warnings: unknown }): void {
  const shown = JSON.stringify({ transcript: result.transcript, warnings: result.warnings });
  captureForHygiene('transcript and warnings of a send to Postfix', shown);
}

describe.skipIf(mta === undefined)('AUTH against Postfix + Dovecot SASL', () => {
  const tlsOptions = () => ({ ca: requireMta().ca, servername: 'localhost' });

  function sendWith(
    port: number,
    tls: 'starttls' | 'implicit',
    mechanism: Mechanism,
    token: string,
  ) {
    return sendMail(
      mtaOptions(token, {
        port,
        tls,
        tlsOptions: tlsOptions(),
        auth: mtaLogin(mechanism),
        ehloName: 'ci.smtp-notify.test',
      }),
    );
  }

  it.each<Mechanism>(['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'])(
    'STARTTLS on the submission port, then AUTH %s, delivers the message',
    async (mechanism) => {
      const { ports, user, password, maildir } = requireMta();
      const token = createToken();
      const result = await sendWith(ports.submission, 'starttls', mechanism, token);

      expect(result.authMechanism).toBe(mechanism);
      expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(result.reply.code).toBe(250);
      expect(result.accepted.map((entry) => entry.address)).toEqual(['inbox@smtp-notify.test']);
      expect(result.rejected).toEqual([]);
      captureTranscript(result);
      assertNoSecrets(JSON.stringify(result.transcript), secretsOf(user, password));
      assertNoSecrets(JSON.stringify(result.warnings), secretsOf(user, password));
      // The AUTH line is in the transcript, and only after the TLS handshake (RFC 3207 4.2).
      const clientLines = result.transcript.filter((entry) => entry.direction === 'client');
      const authIndex = clientLines.findIndex((entry) => /^AUTH /i.test(entry.text));
      const starttlsIndex = clientLines.findIndex((entry) => /^STARTTLS$/i.test(entry.text));
      expect(starttlsIndex).toBeGreaterThanOrEqual(0);
      expect(authIndex).toBeGreaterThan(starttlsIndex);

      const delivered = splitDelivered(await waitForDelivery(maildir, 'inbox', token));
      // Postfix records the authenticated submission as ESMTPSA (RFC 3848: S = TLS, A = AUTH).
      expect(delivered.prepended.join('\n')).toMatch(/with ESMTPSA /);
    },
  );

  it("'auto' picks SCRAM-SHA-256, the strongest mechanism Dovecot offers", async () => {
    const token = createToken();
    const result = await sendWith(requireMta().ports.submission, 'starttls', 'auto', token);
    expect(result.authMechanism).toBe('SCRAM-SHA-256');
    await waitForDelivery(requireMta().maildir, 'inbox', token);
  });

  it('implicit TLS on the smtps port authenticates and delivers (RFC 8314)', async () => {
    const { ports, user, password, maildir } = requireMta();
    const token = createToken();
    const result = await sendWith(ports.smtps, 'implicit', 'auto', token);
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(result.authMechanism).toBe('SCRAM-SHA-256');
    expect(result.transcript.some((entry) => /^STARTTLS$/i.test(entry.text))).toBe(false);
    captureTranscript(result);
    assertNoSecrets(JSON.stringify(result.transcript), secretsOf(user, password));
    await waitForDelivery(maildir, 'inbox', token);
  });

  it.each<Mechanism>(['PLAIN', 'SCRAM-SHA-256'])(
    'a wrong password with %s fails with SmtpAuthError 535 and leaks no password',
    async (mechanism) => {
      const { ports, user, password, maildir } = requireMta();
      // Holds TEST_PASSWORD, so the hygiene check finds any form of it; non-ASCII like the real one.
      const wrongPassword = `${TEST_PASSWORD}-Pässword?`;
      const token = createToken();
      const error = await catchSendError(
        mtaOptions(token, {
          port: ports.submission,
          tls: 'starttls',
          tlsOptions: tlsOptions(),
          auth: mtaLogin(mechanism, wrongPassword),
        }),
      );

      expect(error).toBeInstanceOf(SmtpAuthError);
      const authError = error as SmtpAuthError;
      expect(authError.code).toBe(535);
      expect(authError.enhancedCode).toBe('5.7.8');
      expect(authError.phase).toBe('auth');
      captureErrorForHygiene(`a ${mechanism} failure at Postfix`, error);
      const evidence = describeError(error);
      assertNoSecrets(evidence, [...secretsOf(user, wrongPassword), ...secretsOf(user, password)]);
      expect(await wasDelivered(maildir, 'inbox', token)).toBe(false);
    },
  );

  it('a mechanism the server does not offer (XOAUTH2) is refused with an error naming it', async () => {
    const { ports, user, password } = requireMta();
    const error = await catchSendError(
      mtaOptions(createToken(), {
        port: ports.submission,
        tls: 'starttls',
        tlsOptions: tlsOptions(),
        auth: mtaLogin('XOAUTH2'),
      }),
    );
    expect(error).toBeInstanceOf(SmtpError);
    expect((error as SmtpError).phase).toBe('auth');
    expect((error as SmtpError).message).toMatch(/XOAUTH2/);
    captureErrorForHygiene('an XOAUTH2 refusal at Postfix', error);
    assertNoSecrets(describeError(error), secretsOf(user, password));
  });
});

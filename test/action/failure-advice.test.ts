/**
 * adviseOnFailure names the action's inputs for each failure a user can fix. Real peers where
 * they produce the failure (TLS mismatches against smtp-server, a relay refusal); the scripted
 * server to forge a provider's reply (Gmail's 535 5.7.8); constructed errors for replies only a
 * given provider sends.
 */
import { describe, expect, it } from 'vitest';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import {
  SmtpAuthError,
  SmtpConnectionError,
  SmtpError,
  SmtpReplyError,
  SmtpTimeoutError,
  sendMail,
  verifyConnection,
  type Reply,
  type ServerOptions,
} from '../../src/smtp/index.js';
import { startScriptedServer } from '../helpers/scripted-server.js';
import { testTimeouts, useCleanups } from '../helpers/send-fixtures.js';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';
import { testTls } from '../helpers/tls-fixtures.js';

const defer = useCleanups();

/** The real server; a client that refuses its certificate is an expected outcome here. */
async function realServer(
  options: Parameters<typeof startSmtpServer>[0] = {},
): Promise<RunningServer> {
  const running = defer(await startSmtpServer(options));
  running.server.on('error', () => undefined);
  return running;
}
const password = 'hunter2-correct-horse';

function local(port: number, extra: Partial<ServerOptions> = {}): ServerOptions {
  return {
    host: '127.0.0.1',
    port,
    tls: 'none',
    ehloName: 'runner.example.com',
    timeouts: testTimeouts,
    ...extra,
  };
}

async function verifyFailure(options: ServerOptions): Promise<SmtpError> {
  const error = await verifyConnection(options).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SmtpError);
  return error as SmtpError;
}

function reply(code: number, text: string): Reply {
  const enhanced = /^(\d\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
  return enhanced === undefined
    ? { code, lines: [text] }
    : { code, enhancedCode: enhanced, lines: [text] };
}

function authError(code: number, text: string): SmtpAuthError {
  return new SmtpAuthError(`AUTH LOGIN failed: the server replied ${code} ${text}`, {
    phase: 'auth',
    command: 'AUTH LOGIN',
    reply: reply(code, text),
  });
}

const gmail: ServerOptions = {
  host: 'smtp.gmail.com',
  port: 587,
  tls: 'starttls',
  auth: { username: 'ci@example.com', password },
};

describe('adviseOnFailure: TLS', () => {
  it('implicit TLS to a port that greets in clear text: port and tls must agree', async () => {
    const running = await realServer();
    const options = local(running.port, { tls: 'implicit' });
    const advice = adviseOnFailure(await verifyFailure(options), options);
    expect(advice).toMatch(/^SMTP failed while connecting: TLS with/);
    expect(advice).toContain('Set the `port` and `tls` inputs to agree');
    expect(advice).toContain(
      '`port: 465` with `tls: implicit`, or `port: 587` with `tls: starttls`',
    );
  });

  it('STARTTLS to a port that expects implicit TLS: port and tls must agree', async () => {
    const running = await realServer({ secure: true });
    const options = local(running.port, { tls: 'starttls' });
    const advice = adviseOnFailure(await verifyFailure(options), options);
    expect(advice).toContain('Set the `port` and `tls` inputs to agree');
  });

  it('a certificate for another name: tls-servername', async () => {
    const running = await realServer();
    const options = local(running.port, {
      tls: 'starttls',
      tlsOptions: { ca: testTls.ca, servername: 'wrong.example.org' },
    });
    const advice = adviseOnFailure(await verifyFailure(options), options);
    expect(advice).toContain('`tls-servername`');
    expect(advice).not.toContain('`tls-ca`');
  });

  it('a certificate from an unknown CA: tls-ca, and tls-verify false is no fix', async () => {
    const running = await realServer();
    const options = local(running.port, {
      tls: 'starttls',
      tlsOptions: { servername: 'localhost' },
    });
    const advice = adviseOnFailure(await verifyFailure(options), options);
    expect(advice).toContain('put its certificate (PEM) in `tls-ca`');
    expect(advice).toContain('`tls-verify: false` turns off every check');
  });

  it('STARTTLS required but not offered', async () => {
    const running = await realServer({ hideSTARTTLS: true });
    const options = local(running.port, { tls: 'starttls' });
    const advice = adviseOnFailure(await verifyFailure(options), options);
    expect(advice).toContain('The server does not offer STARTTLS');
    expect(advice).toContain('`tls: implicit`');
    expect(advice).toContain('Use `tls: none` only for a relay on a network you trust');
  });
});

describe('adviseOnFailure: authentication', () => {
  it('Gmail 535 5.7.8 (forged): an app password, without quoting the password', async () => {
    const server = defer(
      await startScriptedServer([
        { send: '220 smtp.gmail.com ESMTP a1-20020a17 - gsmtp\r\n' },
        { expect: /^EHLO / },
        { send: '250-smtp.gmail.com at your service\r\n250 AUTH LOGIN PLAIN\r\n' },
        { expect: /^AUTH PLAIN / },
        {
          send:
            '535-5.7.8 Username and Password not accepted. For more information, go to\r\n' +
            '535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a17 - gsmtp\r\n',
        },
        { expect: 'QUIT' },
        { send: '221 2.0.0 closing connection\r\n' },
      ]),
    );
    const options = local(server.port, { auth: { username: 'ci@example.com', password } });
    const advice = adviseOnFailure(await verifyFailure(options), options);
    expect(advice).toMatch(/^SMTP failed at authentication \(AUTH PLAIN\)/);
    expect(advice).toContain('535 5.7.8 Username and Password not accepted');
    expect(advice).toContain('create an app password');
    expect(advice).toContain('2-Step Verification');
    expect(advice).toContain('use it as `password`');
    expect(advice).not.toContain(password);
    expect(advice).not.toContain(Buffer.from(`\0ci@example.com\0${password}`).toString('base64'));
  });

  it('Gmail 534 5.7.9 (forged): the account has 2-Step Verification, an app password is needed', async () => {
    const server = defer(
      await startScriptedServer([
        { send: '220 smtp.gmail.com ESMTP a1-20020a17 - gsmtp\r\n' },
        { expect: /^EHLO / },
        { send: '250-smtp.gmail.com at your service\r\n250 AUTH LOGIN PLAIN\r\n' },
        { expect: /^AUTH PLAIN / },
        {
          send:
            '534-5.7.9 Application-specific password required. For more information, go to\r\n' +
            '534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor a1-20020a17 - gsmtp\r\n',
        },
        { expect: 'QUIT' },
        { send: '221 2.0.0 closing connection\r\n' },
      ]),
    );
    const options = local(server.port, { auth: { username: 'ci@example.com', password } });
    const advice = adviseOnFailure(await verifyFailure(options), options);
    expect(advice).toContain('534 5.7.9 Application-specific password required');
    expect(advice).toContain('create an app password');
    expect(advice).toContain('use it as `password`');
    expect(advice).not.toContain(password);
  });

  it('535 5.7.8 from a Gmail host, whatever the text', () => {
    const advice = adviseOnFailure(authError(535, '5.7.8 Authentication failed'), gmail);
    expect(advice).toContain('create an app password');
    expect(advice).not.toContain(password);
  });

  it('535 5.7.8 from another host is not Gmail', () => {
    const other = { ...gmail, host: 'smtp.example.com' };
    const advice = adviseOnFailure(authError(535, '5.7.8 Authentication failed'), other);
    expect(advice).not.toContain('app password (https');
    expect(advice).toContain('Check `username` and `password`');
  });

  it('535 5.7.139: Microsoft 365 has SMTP AUTH disabled', () => {
    const error = authError(
      535,
      '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
    );
    const advice = adviseOnFailure(error, { ...gmail, host: 'smtp.office365.com' });
    expect(advice).toContain(
      'Microsoft 365 has SMTP AUTH (Authenticated SMTP) disabled for the tenant or for this mailbox',
    );
    expect(advice).toContain('admin');
  });

  it('535 5.7.3 from Office 365: credentials refused or SMTP AUTH disabled', () => {
    const error = authError(
      535,
      '5.7.3 Authentication unsuccessful [SN4PR0601CA0001.namprd06.prod.outlook.com]',
    );
    const advice = adviseOnFailure(error, { ...gmail, host: 'smtp.office365.com' });
    expect(advice).toContain('Office 365 refused the credentials, or SMTP AUTH is disabled');
  });

  it('a mechanism the server does not offer: the auth input', () => {
    const error = new SmtpAuthError(
      'The server does not offer the CRAM-MD5 authentication mechanism.',
      { phase: 'auth' },
    );
    expect(adviseOnFailure(error)).toContain('Check the `auth` input');
  });
});

describe('adviseOnFailure: refusals', () => {
  it('530 5.7.0 Must issue a STARTTLS command first: the server wants TLS', () => {
    const error = new SmtpReplyError(
      'MAIL FROM failed: the server replied 530 5.7.0 Must issue a STARTTLS command first',
      {
        phase: 'mail',
        command: 'MAIL FROM:<ci@example.com>',
        reply: reply(530, '5.7.0 Must issue a STARTTLS command first'),
      },
    );
    const advice = adviseOnFailure(error);
    expect(advice).toContain('The server wants TLS');
    expect(advice).toContain('not `tls: none`');
  });

  it('554 Email address is not verified (Amazon SES): verify the sender, leave the sandbox', () => {
    const text =
      'Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: ci@example.com';
    const error = new SmtpReplyError(`The server refused the message: 554 ${text}`, {
      phase: 'message',
      command: '.',
      reply: reply(554, text),
    });
    const advice = adviseOnFailure(error);
    expect(advice).toContain('verify the sender identity (the `from` address or its domain)');
    expect(advice).toContain('SES sandbox');
  });

  it('550 5.7.1 Relaying denied from a real server: authenticate or use an allowed from', async () => {
    const running = await realServer({
      onRcptTo: (_address, _session, callback) =>
        callback(Object.assign(new Error('5.7.1 Relaying denied'), { responseCode: 550 })),
    });
    const options = local(running.port);
    const error = await sendMail({
      ...options,
      envelope: { from: 'ci@example.com', to: ['someone@elsewhere.example'] },
      message: Buffer.from('Subject: x\r\n\r\nx\r\n'),
    }).catch((caught: unknown) => caught);
    const advice = adviseOnFailure(error, options);
    expect(advice).toContain('550 5.7.1 Relaying denied');
    expect(advice).toContain('authenticate (`username`, `password`) and use a `from` address');
  });

  it('a refused mailbox: check the recipient inputs', () => {
    const error = new SmtpReplyError('RCPT TO failed', {
      phase: 'rcpt',
      reply: reply(550, '5.1.1 User unknown'),
    });
    // Plain reply errors get the reply appended when the message does not quote it.
    expect(adviseOnFailure(error)).toContain('The server replied: 550 5.1.1 User unknown');
  });
});

describe('adviseOnFailure: connections and time', () => {
  it('port 25 unreachable: GitHub-hosted runners block it', () => {
    const server: ServerOptions = { host: 'mx.example.com', port: 25, tls: 'starttls' };
    for (const error of [
      new SmtpTimeoutError('Could not connect to mx.example.com:25 within 30 s.', {
        phase: 'connect',
        transient: true,
      }),
      new SmtpConnectionError(
        'Cannot reach the SMTP server at mx.example.com:25: nothing listens.',
        { phase: 'connect' },
      ),
    ]) {
      const advice = adviseOnFailure(error, server);
      expect(advice).toContain('GitHub-hosted runners block outbound port 25');
      expect(advice).toContain('`port: 587` with `tls: starttls`');
    }
  });

  it('a timeout elsewhere: the timeout input', () => {
    const error = new SmtpTimeoutError('The server did not answer DATA within 60 s.', {
      phase: 'data',
      command: 'DATA',
      transient: true,
    });
    const advice = adviseOnFailure(error, { host: 'smtp.example.com', port: 587, tls: 'starttls' });
    expect(advice).toContain('raise `timeout`');
    expect(advice).not.toContain('port 25');
  });

  it('connection refused: check server and port', () => {
    const error = new SmtpConnectionError(
      'Cannot reach the SMTP server at 127.0.0.1:2525: nothing listens.',
      { phase: 'connect' },
    );
    expect(adviseOnFailure(error)).toContain('Check `server` and `port`');
  });

  it('outcome unknown: may or may not have been delivered', () => {
    const error = new SmtpConnectionError('The server closed the connection during message (.).', {
      phase: 'message',
      command: '.',
      transient: true,
    });
    error.outcome = 'unknown';
    const advice = adviseOnFailure(error);
    expect(advice).toContain('may or may not have been delivered');
    expect(advice).toContain('Check whether the message arrived');
  });
});

describe('adviseOnFailure: anything else', () => {
  it('keeps the message of an unknown error, and of a thrown string', () => {
    expect(adviseOnFailure(new Error('boom'))).toBe('boom');
    expect(adviseOnFailure('plain text')).toBe('plain text');
  });

  it('states the failure of an SmtpError it has no advice for', () => {
    const error = new SmtpReplyError('EHLO failed: the server replied 554 go away', {
      phase: 'ehlo',
      command: 'EHLO',
      reply: reply(554, 'go away'),
    });
    expect(adviseOnFailure(error)).toBe(
      'SMTP failed at EHLO: EHLO failed: the server replied 554 go away',
    );
  });

  it('never adds the password it was given', () => {
    const error = authError(535, '5.7.8 Authentication failed');
    for (const server of [gmail, { ...gmail, host: 'smtp.example.com' }]) {
      expect(adviseOnFailure(error, server)).not.toContain(password);
    }
  });
});

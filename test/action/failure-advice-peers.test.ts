/**
 * adviseOnFailure on failures produced by a peer: TLS mismatches and a relay refusal from the
 * real smtp-server, and Gmail's refusals forged by the scripted server (only Gmail sends them).
 * Each piece of advice names the inputs to change.
 */
import { describe, expect, it } from 'vitest';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import { sendMail } from '../../src/smtp/index.js';
import { startScriptedServer, type Script } from '../helpers/scripted-server.js';
import { useCleanups } from '../helpers/send-fixtures.js';
import { refusal, startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';
import { testTls } from '../helpers/tls-fixtures.js';
import { local, password, verifyFailure } from './failure-advice-env.js';

const defer = useCleanups();

/** The real server; a client that refuses its certificate is an expected outcome here. */
async function realServer(
  options: Parameters<typeof startSmtpServer>[0] = {},
): Promise<RunningServer> {
  const running = defer(await startSmtpServer(options));
  running.server.on('error', () => undefined);
  return running;
}

/** A session as smtp.gmail.com holds it, up to the refusal of AUTH PLAIN with `refusalLines`. */
function gmailRefusingAuth(refusalLines: string[]): Script {
  return [
    { send: '220 smtp.gmail.com ESMTP a1-20020a17 - gsmtp\r\n' },
    { expect: /^EHLO / },
    { send: '250-smtp.gmail.com at your service\r\n250 AUTH LOGIN PLAIN\r\n' },
    { expect: /^AUTH PLAIN / },
    { send: refusalLines.map((line) => `${line}\r\n`).join('') },
    { expect: 'QUIT' },
    { send: '221 2.0.0 closing connection\r\n' },
  ];
}

/** The advice for the failure of verifyConnection, with credentials, to a forged Gmail. */
async function adviceFromGmail(refusalLines: string[]): Promise<string> {
  const server = defer(await startScriptedServer(gmailRefusingAuth(refusalLines)));
  const options = local(server.port, { auth: { username: 'ci@example.com', password } });
  return adviseOnFailure(await verifyFailure(options), options);
}

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
    const advice = await adviceFromGmail([
      '535-5.7.8 Username and Password not accepted. For more information, go to',
      '535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a17 - gsmtp',
    ]);
    expect(advice).toMatch(/^SMTP failed at authentication \(AUTH PLAIN\)/);
    expect(advice).toContain('535 5.7.8 Username and Password not accepted');
    expect(advice).toContain('create an app password');
    expect(advice).toContain('2-Step Verification');
    expect(advice).toContain('use it as `password`');
    expect(advice).not.toContain(password);
    expect(advice).not.toContain(Buffer.from(`\0ci@example.com\0${password}`).toString('base64'));
  });

  it('Gmail 534 5.7.9 (forged): the account has 2-Step Verification, an app password is needed', async () => {
    const advice = await adviceFromGmail([
      '534-5.7.9 Application-specific password required. For more information, go to',
      '534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor a1-20020a17 - gsmtp',
    ]);
    expect(advice).toContain('534 5.7.9 Application-specific password required');
    expect(advice).toContain('create an app password');
    expect(advice).toContain('use it as `password`');
    expect(advice).not.toContain(password);
  });
});

describe('adviseOnFailure: refusals', () => {
  it('550 5.7.1 Relaying denied from a real server: authenticate or use an allowed from', async () => {
    const running = await realServer({
      onRcptTo: (_address, _session, callback) => callback(refusal(550, '5.7.1 Relaying denied')),
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
});

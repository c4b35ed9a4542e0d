import { describe, expect, it } from 'vitest';
import {
  SmtpAuthError,
  SmtpInputError,
  SmtpRecipientsError,
  SmtpTlsError,
  defaultTimeouts,
  sendMail,
  verifyConnection,
  type SendMailOptions,
} from '../../src/smtp/index.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { startFlightRecorder, type FlightRecorder } from '../helpers/flight-recorder.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { sendOptions, useCleanups } from '../helpers/send-fixtures.js';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';
import { testTls } from '../helpers/tls-fixtures.js';

const password = 'correct horse battery';
const message = Buffer.from(
  'From: ci@example.com\r\nTo: dev@example.com\r\nSubject: build\r\n\r\nGreen.\r\n.hidden dot line\r\n',
);

const defer = useCleanups();

async function server(options: Parameters<typeof startSmtpServer>[0] = {}): Promise<RunningServer> {
  return defer(await startSmtpServer(options));
}

async function recorder(port: number): Promise<FlightRecorder> {
  return defer(await startFlightRecorder(port));
}

function checkPassword(user: string, pass: string): boolean {
  return user === 'ci' && pass === password;
}

/** This file's message, with a line to dot-stuff, and the client's own timeouts: real servers. */
function options(port: number, extra: Partial<SendMailOptions> = {}): SendMailOptions {
  return sendOptions(port, { message, timeouts: defaultTimeouts, ...extra });
}

const starttls = {
  tls: 'starttls',
  tlsOptions: { ca: testTls.ca, servername: 'localhost' },
} as const;

describe('sendMail against smtp-server', () => {
  it('delivers the exact bytes, un-stuffed by the server, and reports the final reply', async () => {
    const running = await server();
    const result = await sendMail(options(running.port));
    expect(running.received).toHaveLength(1);
    expect(running.received[0]?.data.equals(message)).toBe(true);
    expect(result.reply.code).toBe(250);
    expect(result.accepted.map((r) => r.address)).toEqual(['dev@example.com']);
    expect(result.rejected).toEqual([]);
    expect(result.transactions).toBe(1);
    expect(result.tls).toBeUndefined();
  });

  it('pipelines: envelope in one flight, content + dot + QUIT in the next (RFC 2920)', async () => {
    const running = await server();
    const proxy = await recorder(running.port);
    const to = ['a@example.com', 'b@example.com', 'c@example.com'];
    await sendMail(options(proxy.port, { envelope: { from: 'ci@example.com', to } }));
    const flights = proxy.clientFlights();
    expect(flights).toHaveLength(3);
    expect(flights[0]).toBe('EHLO runner.example.com\r\n');
    expect(flights[1]).toMatch(
      /^MAIL FROM:<ci@example.com>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n$/,
    );
    expect(flights[2]?.endsWith('\r\n..hidden dot line\r\n.\r\nQUIT\r\n')).toBe(true);
  });

  it('sends one command per round trip when the server does not offer PIPELINING', async () => {
    const running = await server({ hidePIPELINING: true });
    const proxy = await recorder(running.port);
    const to = ['a@example.com', 'b@example.com'];
    await sendMail(options(proxy.port, { envelope: { from: 'ci@example.com', to } }));
    const verbs = proxy.clientFlights().map((flight) => flight.split(/[ :\r]/)[0]);
    expect(verbs).toEqual(['EHLO', 'MAIL', 'RCPT', 'RCPT', 'DATA', 'From', 'QUIT']);
    expect(running.received[0]?.to).toEqual(to);
  });

  it('upgrades with STARTTLS, verifies the certificate and authenticates with PLAIN', async () => {
    const running = await server({
      authOptional: false,
      onAuth: (auth, _session, callback) =>
        checkPassword(auth.username ?? '', auth.password ?? '')
          ? callback(null, { user: auth.username })
          : callback(new Error('Invalid username or password')),
    });
    const result = await sendMail(
      options(running.port, { ...starttls, auth: { username: 'ci', password } }),
    );
    expect(result.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(result.authMechanism).toBe('PLAIN');
    expect(running.received).toHaveLength(1);
    const transcript = result.transcript.map((entry) => entry.text).join('\n');
    expect(transcript).toContain('AUTH PLAIN [redacted]');
    expect(transcript).not.toContain('Green.');
    assertNoSecrets(transcript, [password]);
  });

  it.each(['LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const)('authenticates with %s', async (mechanism) => {
    const running = await server({
      authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
      authOptional: false,
      onAuth: (auth, _session, callback) => {
        const ok =
          auth.method === 'XOAUTH2'
            ? auth.accessToken === password
            : auth.method === 'CRAM-MD5'
              ? auth.validatePassword(password)
              : checkPassword(auth.username ?? '', auth.password ?? '');
        if (ok) callback(null, { user: 'ci' });
        else callback(null, { data: { status: '401', schemes: 'bearer' } });
      },
    });
    const result = await sendMail(
      options(running.port, { ...starttls, auth: { username: 'ci', password, mechanism } }),
    );
    expect(result.authMechanism).toBe(mechanism);
    expect(running.received).toHaveLength(1);
  });

  it('fails AUTH with a typed error naming the command and quoting the server, no secret', async () => {
    const running = await server({
      authOptional: false,
      onAuth: (_auth, _session, callback) => callback(new Error('Invalid username or password')),
    });
    const error = await sendMail(
      options(running.port, { ...starttls, auth: { username: 'ci', password } }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpAuthError);
    const authError = error as SmtpAuthError;
    expect(authError.code).toBe(535);
    expect(authError.command).toBe('AUTH PLAIN');
    expect(authError.message).toMatch(/535/);
    assertNoSecrets(`${authError.message}\n${JSON.stringify(authError)}`, [password]);
    expect(running.mailCommands).toBe(0);
  });

  it('implicit TLS from the first byte (port 465 style)', async () => {
    const running = await server({ secure: true });
    const result = await sendMail(
      options(running.port, {
        tls: 'implicit',
        tlsOptions: { ca: testTls.ca, servername: 'localhost' },
      }),
    );
    expect(result.tls?.cipher).toBeTruthy();
    expect(running.received).toHaveLength(1);
  });

  it('fails closed when STARTTLS is required but not offered; nothing is sent', async () => {
    const running = await server({ hideSTARTTLS: true });
    await expect(sendMail(options(running.port, starttls))).rejects.toBeInstanceOf(SmtpTlsError);
    expect(running.mailCommands).toBe(0);
  });

  it('refuses to send unauthenticated when credentials are given but AUTH is not offered', async () => {
    const running = await server({ disabledCommands: ['AUTH'] });
    const error = await sendMail(
      options(running.port, { ...starttls, auth: { username: 'ci', password } }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect((error as Error).message).toMatch(/offers no AUTH/);
    expect(running.mailCommands).toBe(0);
  });
});

describe('through an HTTP CONNECT proxy', () => {
  it('delivers through the tunnel', async () => {
    const running = await server();
    const proxy = defer(await startConnectProxy({ coalesceGreeting: true }));
    await sendMail(options(running.port, { proxy: proxy.url }));
    expect(proxy.requests[0]?.line).toBe(`CONNECT 127.0.0.1:${running.port} HTTP/1.1`);
    expect(running.received).toHaveLength(1);
  });

  it('refuses AUTH without TLS even to 127.0.0.1, since the tunnel may go anywhere', async () => {
    const running = await server({
      onAuth: (_auth, _session, callback) => callback(null, { user: 'ci' }),
    });
    const proxy = defer(await startConnectProxy());
    const error = await sendMail(
      options(running.port, { proxy: proxy.url, auth: { username: 'ci', password } }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect((error as Error).message).toMatch(/without TLS/);
    expect(running.mailCommands).toBe(0);
  });
});

describe('recipients', () => {
  it('delivers to the accepted recipients and names each refused one with its reply', async () => {
    const running = await server({
      onRcptTo: (address, _session, callback) =>
        address.address.startsWith('gone')
          ? callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }))
          : callback(),
    });
    const to = ['dev@example.com', 'gone@example.com', 'ops@example.com'];
    const result = await sendMail(
      options(running.port, { envelope: { from: 'ci@example.com', to } }),
    );
    expect(running.received[0]?.to).toEqual(['dev@example.com', 'ops@example.com']);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.address).toBe('gone@example.com');
    expect(result.rejected[0]?.reply.code).toBe(550);
    expect(result.rejected[0]?.reply.enhancedCode).toBe('5.1.1');
  });

  it('fails with every refused recipient named, and sends no content', async () => {
    const running = await server({
      onRcptTo: (_address, _session, callback) =>
        callback(Object.assign(new Error('No such user'), { responseCode: 550 })),
    });
    const proxy = await recorder(running.port);
    const error = await sendMail(options(proxy.port)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpRecipientsError);
    expect((error as SmtpRecipientsError).rejected.map((r) => r.address)).toEqual([
      'dev@example.com',
    ]);
    expect(running.received).toHaveLength(0);
    const sent = proxy.clientFlights().join('');
    expect(sent).not.toContain('Green.');
  });

  it('splits into new transactions when the server answers 452 (RFC 5321 4.5.3.1.10)', async () => {
    const running = await server({
      onRcptTo: (_address, session, callback) =>
        session.envelope.rcptTo.length >= 2
          ? callback(Object.assign(new Error('4.5.3 Too many recipients'), { responseCode: 452 }))
          : callback(),
    });
    const to = [
      'a@example.com',
      'b@example.com',
      'c@example.com',
      'd@example.com',
      'e@example.com',
    ];
    const result = await sendMail(
      options(running.port, { envelope: { from: 'ci@example.com', to } }),
    );
    expect(result.transactions).toBe(3);
    expect(running.received.map((m) => m.to)).toEqual([
      ['a@example.com', 'b@example.com'],
      ['c@example.com', 'd@example.com'],
      ['e@example.com'],
    ]);
    expect(result.accepted).toHaveLength(5);
    expect(result.rejected).toEqual([]);
  });
});

describe('extensions', () => {
  it('declares SIZE and refuses before MAIL when the message is over the limit', async () => {
    const running = await server({ size: 40 });
    const error = await sendMail(options(running.port)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpInputError);
    expect((error as Error).message).toMatch(/at most 40/);
    expect(running.mailCommands).toBe(0);
  });

  it('declares SIZE as the octets with CRLF line endings (RFC 1870 3)', async () => {
    const running = await server({ size: 1000 });
    const proxy = await recorder(running.port);
    const loneFeeds = Buffer.from('Subject: x\n\nline\n.dot\n');
    await sendMail(options(proxy.port, { message: loneFeeds }));
    expect(proxy.clientFlights()[1]).toMatch(/^MAIL FROM:<ci@example.com> SIZE=26\r\n/);
    expect(running.received[0]?.data.toString()).toBe('Subject: x\r\n\r\nline\r\n.dot\r\n');
  });

  it('sends BODY=8BITMIME only for 8-bit content, and refuses it when not offered', async () => {
    const eightBit = Buffer.from('Subject: caf\u00e9\r\n\r\nna\u00efve\r\n', 'utf8');
    const running = await server();
    await sendMail(options(running.port, { message: eightBit }));
    await sendMail(options(running.port));
    expect(running.received[0]?.mailArgs.BODY).toBe('8BITMIME');
    expect(running.received[1]?.mailArgs.BODY).toBeUndefined();
    const plain = await server({ hide8BITMIME: true });
    await expect(sendMail(options(plain.port, { message: eightBit }))).rejects.toThrow(/8BITMIME/);
    expect(plain.mailCommands).toBe(0);
  });

  it('uses SMTPUTF8 only for a non-ASCII local part; an IDN domain goes as an A-label', async () => {
    const running = await server();
    const proxy = await recorder(running.port);
    const to = ['j\u00f6rg@example.com', 'dev@b\u00fccher.example'];
    await sendMail(options(proxy.port, { envelope: { from: 'ci@example.com', to } }));
    await sendMail(options(proxy.port, { envelope: { from: 'ci@example.com', to: to.slice(1) } }));
    const envelopes = proxy.clientFlights().filter((flight) => flight.startsWith('MAIL'));
    expect(envelopes[0]).toContain('MAIL FROM:<ci@example.com> SMTPUTF8\r\n');
    expect(envelopes[0]).toContain(
      'RCPT TO:<j\u00f6rg@example.com>\r\nRCPT TO:<dev@xn--bcher-kva.example>',
    );
    expect(envelopes[1]).toMatch(
      /^MAIL FROM:<ci@example.com>\r\nRCPT TO:<dev@xn--bcher-kva.example>\r\n/,
    );
    expect(running.received).toHaveLength(2);
    const ascii = await server({ hideSMTPUTF8: true });
    const refused = sendMail(options(ascii.port, { envelope: { from: 'ci@example.com', to } }));
    await expect(refused).rejects.toThrow(/SMTPUTF8/);
    expect(ascii.mailCommands).toBe(0);
  });
});

describe('delivery status notifications (RFC 3461)', () => {
  const dsn = { notify: ['FAILURE', 'DELAY'], ret: 'HDRS', envId: 'run+42=ok' } as const;

  it('sends NOTIFY, RET and ENVID (as xtext) when the server offers DSN', async () => {
    // smtp-server hides DSN unless told otherwise.
    const running = await server({ hideDSN: false });
    const proxy = await recorder(running.port);
    const result = await sendMail(options(proxy.port, { dsn }));
    const envelope = proxy.clientFlights()[1] ?? '';
    expect(envelope).toContain('MAIL FROM:<ci@example.com> RET=HDRS ENVID=run+2B42+3Dok\r\n');
    expect(envelope).toContain('RCPT TO:<dev@example.com> NOTIFY=FAILURE,DELAY\r\n');
    expect(result.warnings).toEqual([]);
  });

  it('sends without DSN, with a warning, when the server does not offer it', async () => {
    const running = await server({ hideDSN: true });
    const proxy = await recorder(running.port);
    const result = await sendMail(options(proxy.port, { dsn }));
    expect(proxy.clientFlights()[1]).not.toMatch(/NOTIFY|RET=|ENVID/);
    expect(result.warnings.join(' ')).toMatch(/DSN/);
    expect(running.received).toHaveLength(1);
  });
});

describe('verifyConnection', () => {
  it('connects, secures, authenticates and quits without a transaction', async () => {
    const running = await server({
      authOptional: false,
      onAuth: (auth, _session, callback) =>
        checkPassword(auth.username ?? '', auth.password ?? '')
          ? callback(null, { user: 'ci' })
          : callback(new Error('no')),
    });
    const report = await verifyConnection({
      ...options(running.port, starttls),
      auth: { username: 'ci', password },
    });
    expect(report.authMechanism).toBe('PLAIN');
    expect(running.mailCommands).toBe(0);
  });
});

describe('input checks before any connection', () => {
  it.each([
    [{ port: 0 }, /port/],
    [{ host: 'smtp://mail.example.com' }, /host/],
    [{ tls: 'ssl' as never }, /tls/],
    [{ envelope: { from: 'ci@example.com', to: [] } }, /recipient/],
    [{ envelope: { from: 'ci@example.com', to: ['a@example.com>\r\nRCPT TO:<x@evil.com'] } }, /./],
    [{ ehloName: 'runner' }, /fully qualified/],
    [{ ehloName: '[300.1.1.1]' }, /address literal/],
    [{ message: Buffer.from(`Subject: x\r\n\r\n${'a'.repeat(1200)}\r\n`) }, /998/],
    [{ host: 'mail.example.com', auth: { username: 'u', password: 'p4ssword' } }, /without TLS/],
    [{ dsn: { ret: 'FULL SIZE=1' as never } }, /RET/],
    [{ dsn: { notify: ['SUCCESS', 'NEVER'] as never } }, /NOTIFY/],
    [{ dsn: { envId: 'run\r\n42' } }, /ENVID/],
  ])('refuses %j', async (extra, pattern) => {
    const running = await server();
    const error = await sendMail(options(running.port, extra)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpInputError);
    expect((error as Error).message).toMatch(pattern);
    expect(running.mailCommands).toBe(0);
  });
});

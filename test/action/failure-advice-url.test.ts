/**
 * adviseOnFailure when the server came from `connection-url`: `port`, `tls`, `username` and
 * `password` cannot be set next to the URL, so the advice names the part of the URL to change
 * (its port, its scheme, its user name and password), and the host, a secret, is written
 * `(connection-url)`. Real peers where they produce the failure, constructed errors otherwise.
 */
import { describe, expect, it } from 'vitest';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import {
  SmtpAuthError,
  SmtpConnectionError,
  SmtpTimeoutError,
  type ServerOptions,
} from '../../src/smtp/index.js';
import { useCleanups } from '../helpers/send-fixtures.js';
import { startSmtpServer } from '../helpers/smtp-server.js';
import { local, verifyFailure } from './failure-advice-env.js';

const defer = useCleanups();

/** An input name as the advice writes one (`port`, `tls: implicit`); tls-ca and the like pass. */
const SEPARATE_INPUT = /`(server|port|tls|username|password)(`|:)/;

function url(server: ServerOptions, error: unknown): string {
  const advice = adviseOnFailure(error, server, 'connection-url');
  expect(advice).not.toMatch(SEPARATE_INPUT);
  return advice;
}

const relay: ServerOptions = { host: 'relay.internal.example', port: 587, tls: 'starttls' };

describe('adviseOnFailure for connection-url', () => {
  it('port and TLS mode disagree: change the scheme or the port of the URL', async () => {
    const running = defer(await startSmtpServer());
    const options = local(running.port, { tls: 'implicit' });
    const advice = url(options, await verifyFailure(options));
    expect(advice).toContain(
      `Make the scheme and the port of \`connection-url\` agree (now port ${running.port}, smtps://)`,
    );
    expect(advice).toContain('`smtp://user:password@host:587` (STARTTLS)');
    // The client's message named 127.0.0.1:<port>; the host is part of the secret.
    expect(advice).toContain(`(connection-url):${running.port}`);
    expect(advice).not.toContain('127.0.0.1');
  });

  it('STARTTLS not offered: smtps:// if the server has implicit TLS', async () => {
    const running = defer(await startSmtpServer({ hideSTARTTLS: true }));
    const options = local(running.port, { tls: 'starttls' });
    // Turning TLS off is the one thing only the separate inputs can do: named as such.
    const advice = adviseOnFailure(await verifyFailure(options), options, 'connection-url');
    expect(advice).toContain('use `smtps://user:password@host:465` in `connection-url`');
    expect(advice).toContain('use the separate inputs with `tls: none` instead');
    expect(advice).not.toContain('`port: 465`');
  });

  it('credentials refused: the user name and password in the URL', () => {
    const error = new SmtpAuthError('AUTH PLAIN failed: the server replied 535 5.7.8 no', {
      phase: 'auth',
      command: 'AUTH PLAIN',
      reply: { code: 535, enhancedCode: '5.7.8', lines: ['5.7.8 no'] },
    });
    expect(url(relay, error)).toContain(
      'Check the user name and password in `connection-url` (percent-encoded)',
    );
    const gmail = url({ ...relay, host: 'smtp.gmail.com' }, error);
    expect(gmail).toContain('use it as the password in `connection-url` (percent-encoded)');
  });

  it('no usable mechanism: the auth input and the port of the URL', () => {
    const error = new SmtpAuthError('The server offers no AUTH mechanism we can use.', {
      phase: 'auth',
    });
    expect(url(relay, error)).toContain('and the port in `connection-url`: submission servers');
  });

  it('port 25 blocked: a submission port in the URL', () => {
    const error = new SmtpTimeoutError('Could not connect to relay.internal.example:25.', {
      phase: 'connect',
      transient: true,
    });
    const advice = url({ ...relay, port: 25 }, error);
    expect(advice).toContain('block outbound port 25. Use a submission port: `smtps://');
    expect(advice).toContain('Could not connect to (connection-url):25.');
  });

  it('unreachable: the host and port of the URL, the host not quoted in any case', () => {
    const error = new SmtpConnectionError(
      'Cannot reach the SMTP server at RELAY.internal.example:587: nothing listens on it.',
      { phase: 'connect' },
    );
    const advice = url(relay, error);
    expect(advice).toContain('Check the host and port in `connection-url`');
    expect(advice).toContain('at (connection-url):587');
    expect(advice.toLowerCase()).not.toContain('relay.internal.example');
  });

  it('leaves the host and the input names as they are for the separate inputs', () => {
    const error = new SmtpConnectionError(
      'Cannot reach the SMTP server at relay.internal.example:587: nothing listens on it.',
      { phase: 'connect' },
    );
    const advice = adviseOnFailure(error, relay, 'inputs');
    expect(advice).toContain('Check `server` and `port`');
    expect(advice).toContain('relay.internal.example:587');
  });
});

// AUTH PLAIN with its initial response leads the envelope group (RFC 4954 4: the one exception to
// "AUTH ends a pipelined group" is a one-round-trip mechanism with an initial response and no
// security layer, PLAIN named among them), saving a round trip on every authenticated send.
// Flights are counted through a recording proxy; nothing here is timed.
import { describe, expect, it } from 'vitest';
import { SmtpAuthError, sendMail, verifyConnection } from '../../src/smtp/index.js';
import { startFlightRecorder, type FlightRecorder } from '../helpers/flight-recorder.js';
import { TEST_PASSWORD, TEST_USERNAME } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { localServer, sendOptions, useCleanups } from '../helpers/send-fixtures.js';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';
import { captureFailure, flightVerbs } from './pipelining-fixtures.js';

const defer = useCleanups();
const auth = { username: TEST_USERNAME, password: TEST_PASSWORD };
const to = ['a@example.com', 'b@example.com'];

/** smtp-server on loopback with AUTH over plaintext (loopback needs no TLS for AUTH). */
async function authServer(
  options: Parameters<typeof startSmtpServer>[0] = {},
): Promise<{ running: RunningServer; proxy: FlightRecorder }> {
  const running = defer(
    await startSmtpServer({
      allowInsecureAuth: true,
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (login, _session, callback) =>
        login.username === TEST_USERNAME && login.password === TEST_PASSWORD
          ? callback(null, { user: login.username })
          : callback(new Error('Invalid username or password')),
      ...options,
    }),
  );
  return { running, proxy: defer(await startFlightRecorder(running.port)) };
}

/** The command verbs of each client flight, e.g. ['EHLO', 'AUTH MAIL RCPT RCPT DATA', ...]. */
function verbsOf(proxy: FlightRecorder): string[] {
  return proxy.clientFlights().map((flight) => flightVerbs(flight).join(' '));
}

function capture(error: unknown): void {
  captureFailure('pipelined AUTH error', error);
}

describe('AUTH PLAIN in the envelope group (RFC 4954 4, RFC 2920 3.1)', () => {
  it('sends AUTH, MAIL, every RCPT and DATA in one flight: three flights in all', async () => {
    const { running, proxy } = await authServer();
    const result = await sendMail(
      sendOptions(proxy.port, { auth, envelope: { from: 'ci@example.com', to } }),
    );
    expect(verbsOf(proxy)).toEqual(['EHLO', 'AUTH MAIL RCPT RCPT DATA', '. QUIT']);
    expect(result.authMechanism).toBe('PLAIN');
    expect(running.received.map((message) => message.to)).toEqual([to]);
    const transcript = result.transcript.map((entry) => entry.text).join('\n');
    expect(transcript).toContain('AUTH PLAIN [redacted]');
    assertNoSecrets(transcript, [TEST_PASSWORD]);
  });

  it('keeps AUTH alone in its flight for a mechanism that needs a challenge (LOGIN)', async () => {
    const { running, proxy } = await authServer();
    await sendMail(sendOptions(proxy.port, { auth: { ...auth, mechanism: 'LOGIN' } }));
    const verbs = verbsOf(proxy);
    expect(verbs[1]).toBe('AUTH');
    expect(verbs.at(-2)).toBe('MAIL RCPT DATA');
    expect(running.received).toHaveLength(1);
  });

  it('keeps AUTH alone when the server does not offer PIPELINING', async () => {
    const { running, proxy } = await authServer({ hidePIPELINING: true });
    await sendMail(sendOptions(proxy.port, { auth }));
    expect(verbsOf(proxy)).toEqual(['EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA', '.', 'QUIT']);
    expect(running.received).toHaveLength(1);
  });

  it('still authenticates before QUIT when only verifying the connection', async () => {
    const { proxy } = await authServer();
    const report = await verifyConnection(localServer(proxy.port, { auth }));
    expect(report.authMechanism).toBe('PLAIN');
    expect(verbsOf(proxy)).toEqual(['EHLO', 'AUTH', 'QUIT']);
  });

  it('reports refused credentials as an AUTH error, reads the group out and QUITs', async () => {
    const { running, proxy } = await authServer();
    const error = await sendMail(
      sendOptions(proxy.port, { auth: { ...auth, password: 'wrong-password-here' } }),
    ).catch((caught: unknown) => caught);
    capture(error);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error).toMatchObject({ phase: 'auth', code: 535, outcome: 'not-delivered' });
    expect(running.received).toHaveLength(0);
    // The server answered MAIL, RCPT and DATA too; the client read those and left politely.
    expect(verbsOf(proxy)).toEqual(['EHLO', 'AUTH MAIL RCPT DATA', 'QUIT']);
  });

  it('never sends a message when a server without required AUTH says 354 after a failed AUTH', async () => {
    // authOptional: this server takes mail without credentials, so DATA is answered 354 even
    // though AUTH failed. The client must not deliver what it was told to send authenticated.
    const { running, proxy } = await authServer({ authOptional: true });
    const error = await sendMail(
      sendOptions(proxy.port, { auth: { ...auth, password: 'wrong-password-here' } }),
    ).catch((caught: unknown) => caught);
    capture(error);
    expect(error).toBeInstanceOf(SmtpAuthError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running.received).toHaveLength(0);
    expect(verbsOf(proxy).join(' ')).not.toContain('.');
  });
});

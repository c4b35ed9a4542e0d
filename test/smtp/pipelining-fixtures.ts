/**
 * What the pipelining tests share: recipient lists, an smtp-server with a per-transaction
 * recipient limit, the command verbs of a client flight as a recording proxy saw it, and the
 * hygiene capture of a failure.
 */
import type { useCleanups } from '../helpers/send-fixtures.js';
import { TEST_PASSWORD, captureForHygiene } from '../helpers/hygiene.js';
import { startFlightRecorder } from '../helpers/flight-recorder.js';
import { refusal, startSmtpServer } from '../helpers/smtp-server.js';

/** `count` distinct recipients: r1@example.com, r2@example.com, ... */
export function addresses(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `r${index + 1}@example.com`);
}

/** The command verbs of one client flight, in order: e.g. ['AUTH', 'MAIL', 'RCPT', 'DATA']. */
export function flightVerbs(flight: string): string[] {
  return flight
    .split('\r\n')
    .filter((line) => /^(EHLO|AUTH|MAIL|RCPT|DATA|QUIT|RSET|\.$)/.test(line))
    .map((line) => (line === '.' ? '.' : (line.split(/[ :]/)[0] ?? '')));
}

/**
 * smtp-server behind a flight recorder that answers 452 to every RCPT after the `limit`th of a
 * transaction (RFC 5321 4.5.3.1.10); it offers AUTH PLAIN over loopback, optional.
 */
export async function limitedServer(defer: ReturnType<typeof useCleanups>, limit: number) {
  const running = defer(
    await startSmtpServer({
      allowInsecureAuth: true,
      authMethods: ['PLAIN'],
      onAuth: (login, _session, callback) =>
        login.password === TEST_PASSWORD
          ? callback(null, { user: login.username })
          : callback(new Error('Invalid username or password')),
      onRcptTo: (_address, session, callback) =>
        session.envelope.rcptTo.length >= limit
          ? callback(refusal(452, '4.5.3 Too many recipients'))
          : callback(),
    }),
  );
  return { running, proxy: defer(await startFlightRecorder(running.port)) };
}

/** Hands a failure's text and transcript to the secret-hygiene check. */
export function captureFailure(source: string, error: unknown): void {
  captureForHygiene(source, `${String(error)}\n${(error as Error).message}`);
  const transcript = (error as { transcript?: readonly { text: string }[] }).transcript ?? [];
  captureForHygiene(`${source} transcript`, transcript.map((e) => e.text).join('\n'));
}

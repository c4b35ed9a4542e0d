/**
 * The in-process peer of the load tests: the real `smtp-server` with STARTTLS and AUTH required,
 * accepting the suite's test credentials, and a count of what it received by Message-ID.
 */
import { refusal, startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';
import { TEST_PASSWORD, TEST_USERNAME } from '../helpers/hygiene.js';

/** Starts the server; every message it accepts is kept in `received` until taken. */
export function startLoadServer(): Promise<RunningServer> {
  return startSmtpServer({
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    onAuth(auth, _session, callback) {
      if (auth.username === TEST_USERNAME && auth.password === TEST_PASSWORD) {
        callback(null, { user: auth.username });
      } else {
        callback(refusal(535, 'Authentication credentials invalid'));
      }
    },
  });
}

/** The Message-ID field's value in a message's header section (RFC 5322 3.6.4). */
export function messageIdOf(data: Buffer): string | undefined {
  const header = data.subarray(0, Math.max(data.indexOf('\r\n\r\n'), 0)).toString('latin1');
  return /^Message-ID:\s*(<[^>\r\n]*>)/im.exec(header)?.[1];
}

/**
 * Takes every message the server received so far (so that it holds none of them afterwards)
 * and adds each to `counts` by its Message-ID; a message without one counts under ''.
 */
export function takeReceived(server: RunningServer, counts: Map<string, number>): number {
  const taken = server.received.splice(0);
  for (const message of taken) {
    const id = messageIdOf(message.data) ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return taken.length;
}

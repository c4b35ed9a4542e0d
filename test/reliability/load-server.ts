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

/**
 * The Message-ID field's value, from the header section only (RFC 5322 3.6.4): up to the first
 * empty line, whether lines end in CRLF (on the wire) or LF (as Postfix stores them). Only the
 * header bytes are decoded: an id sliced out of the whole message's text would keep all of it
 * alive in V8, which the memory test of load.test.ts would see as a leak.
 */
export function messageIdOf(message: Buffer): string | undefined {
  const ends = [message.indexOf('\n\n'), message.indexOf('\n\r\n')].filter((at) => at >= 0);
  const header = message.subarray(0, Math.min(message.length, ...ends)).toString('latin1');
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

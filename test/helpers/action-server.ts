/**
 * The real `smtp-server` as the end-to-end tests meet it: STARTTLS with the test certificate,
 * AUTH required after TLS, every connection counted (a bad input must open none), and the
 * inputs a workflow would give to reach it.
 */

import { simpleParser, type ParsedMail } from 'mailparser';
import type { SMTPServerOptions } from 'smtp-server';
import { TEST_PASSWORD } from './hygiene.js';
import { startSmtpServer, type RunningServer } from './smtp-server.js';
import { testTls } from './tls-fixtures.js';

export const mailUser = 'ci-bot@example.com';
/** Long and unusual enough that finding it (or its base64 forms) in a log means it leaked. */
export const mailPassword = TEST_PASSWORD;

export interface ActionServer extends RunningServer {
  /** TCP connections the server accepted. */
  connections: number;
  /** Usernames of successful AUTH exchanges. */
  logins: string[];
}

export interface ActionServerOptions extends SMTPServerOptions {
  /**
   * Decides the reply to the final dot, after the whole message arrived: an error (with a
   * `responseCode`) refuses it; undefined accepts and records it; a string does too, and is the
   * text of the 250 reply. `count` starts at 1; `data` is the message as received.
   */
  answerMessage?: (count: number, data: Buffer) => Error | string | undefined;
}

/**
 * Starts the server; `options` may override any handler (e.g. onRcptTo to refuse someone).
 * The shared startSmtpServer records every message it receives; `answerMessage` wraps its
 * data handler so that a refused message is not recorded.
 */
export async function startActionServer(options: ActionServerOptions = {}): Promise<ActionServer> {
  const logins: string[] = [];
  const { answerMessage, ...serverOptions } = options;
  const running = (await startSmtpServer({
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    onAuth(auth, _session, callback) {
      if (auth.username === mailUser && auth.password === mailPassword) {
        logins.push(auth.username);
        callback(null, { user: auth.username });
      } else {
        callback(
          Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }),
        );
      }
    },
    ...serverOptions,
  })) as ActionServer;
  running.connections = 0;
  running.logins = logins;
  running.server.server.on('connection', () => {
    running.connections += 1;
  });
  if (answerMessage !== undefined) wrapDataHandler(running, answerMessage);
  return running;
}

/** Lets `answer` refuse a message after startSmtpServer's handler has read it. */
function wrapDataHandler(
  running: ActionServer,
  answer: NonNullable<ActionServerOptions['answerMessage']>,
): void {
  const server = running.server as unknown as { onData: SMTPServerOptions['onData'] };
  const record = server.onData?.bind(running.server);
  let count = 0;
  server.onData = (stream, session, callback) => {
    record?.(stream, session, (error) => {
      count += 1;
      const data = running.received.at(-1)?.data ?? Buffer.alloc(0);
      const answered = error ?? answer(count, data);
      if (answered instanceof Error) {
        running.received.pop();
        callback(answered);
      } else callback(null, answered);
    });
  };
}

/** The inputs that reach `server` over STARTTLS with AUTH, trusting the test CA. */
export function serverInputs(server: { port: number }): Record<string, string> {
  return {
    server: '127.0.0.1',
    port: String(server.port),
    tls: 'starttls',
    'tls-ca': testTls.ca,
    'tls-servername': 'localhost',
    username: mailUser,
    password: mailPassword,
    from: `CI Bot <${mailUser}>`,
    to: 'dev@example.com',
  };
}

/** `inputs` without the named ones, e.g. without `tls-ca` to see an untrusted certificate fail. */
export function omitInputs(
  inputs: Record<string, string>,
  ...names: string[]
): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).filter(([name]) => !names.includes(name)));
}

/**
 * The inputs that reach `server` through one `connection-url` (smtp://, so STARTTLS required),
 * with user and password percent-encoded as a URL needs them.
 */
export function connectionUrlInputs(
  server: { port: number },
  password = mailPassword,
): Record<string, string> {
  const user = encodeURIComponent(mailUser);
  const url = `smtp://${user}:${encodeURIComponent(password)}@127.0.0.1:${server.port}`;
  return {
    ...omitInputs(serverInputs(server), 'server', 'port', 'tls', 'username', 'password'),
    'connection-url': url,
  };
}

/** The one message the server received, parsed by mailparser. */
export async function parseReceived(server: RunningServer, index = 0): Promise<ParsedMail> {
  const received = server.received[index];
  if (received === undefined)
    throw new Error(`the server received ${server.received.length} messages`);
  return simpleParser(received.data);
}

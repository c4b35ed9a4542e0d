/**
 * The demo's mail server: the real `smtp-server` package on 127.0.0.1, with STARTTLS (the test
 * certificate for localhost, signed by the test CA the action is told to trust) and AUTH
 * required, as a submission server on the internet would be. It keeps what it receives.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/** A message as the server received it: the envelope and the content. */
export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  secure: boolean;
  data: Buffer;
}

export interface DemoServer {
  port: number;
  /** The test CA's certificate (PEM): what the action must trust. */
  ca: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/** A fixed demo account: nothing secret, and nothing outside this process accepts it. */
export const demoUser = { username: 'demo', password: 'demo-password-not-secret' } as const;

export async function startDemoServer(root: string): Promise<DemoServer> {
  // Read from the root, not through test/helpers/tls-fixtures.ts: run-ts.mjs bundles the demo
  // into node_modules/, where that helper's import.meta.url paths lead nowhere.
  const tls = (name: string): string =>
    readFileSync(join(root, 'test', 'fixtures', 'tls', name), 'utf8');
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    key: tls('server-key.pem'),
    cert: tls('server.pem'),
    logger: false,
    disableReverseLookup: true,
    banner: 'smtp-notify demo server',
    // AUTH only after STARTTLS (allowInsecureAuth stays false), and required before MAIL.
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      const valid = auth.username === demoUser.username && auth.password === demoUser.password;
      if (valid) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          from: mailFrom === false ? '' : mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          secure: session.secure,
          data: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    ca: tls('ca.pem'),
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `npm run demo`: composes a build report with our MIME composer and delivers it with our SMTP
 * client to a real SMTP server embedded in this process (the `smtp-server` package on
 * 127.0.0.1, STARTTLS with the test CA, AUTH required), then prints the redacted SMTP transcript
 * and the message as the server received it. Nothing leaves the machine.
 *
 * The action's own inputs (action.yml) are not wired up yet; once they are, this demo runs the
 * action itself against the same embedded server.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { composeMessage } from '../src/mime/index.js';
import { sendMail } from '../src/smtp/index.js';

// npm runs scripts from the project root; the bundle itself runs from a temporary folder.
const fixtures = join(process.cwd(), 'test', 'fixtures', 'tls');
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const demoUser = { username: 'demo', password: 'demo-password-not-secret' };

function startServer(onMessage: (data: Buffer) => void): Promise<SMTPServer> {
  const server = new SMTPServer({
    key: read('server-key.pem'),
    cert: read('server.pem'),
    logger: false,
    disableReverseLookup: true,
    onAuth: (auth, _session, callback) =>
      auth.username === demoUser.username && auth.password === demoUser.password
        ? callback(null, { user: auth.username })
        : callback(new Error('Invalid username or password')),
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        onMessage(Buffer.concat(chunks));
        callback();
      });
    },
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let received: Buffer = Buffer.alloc(0);
const server = await startServer((data) => (received = data));
const { port } = server.server.address() as AddressInfo;

const message = composeMessage({
  from: 'smtp-notify demo <ci@example.com>',
  to: 'Dev Team <dev@example.com>',
  subject: '✅ build #42 passed on main',
  text: 'The build passed.\n\nCommit: 1a2b3c4 "Fix the flaky test"\n',
  html: '<p>The build <b>passed</b>.</p><p>Commit: <code>1a2b3c4</code> “Fix the flaky test”</p>',
  attachments: [{ filename: 'summary.txt', content: Buffer.from('42 tests, 0 failures\n') }],
});

try {
  const result = await sendMail({
    host: '127.0.0.1',
    port,
    tls: 'starttls',
    tlsOptions: { ca: read('ca.pem'), servername: 'localhost' },
    auth: demoUser,
    envelope: message.envelope,
    message: message.bytes,
  });
  console.log('SMTP transcript (redacted):');
  for (const entry of result.transcript) {
    const arrow = { client: 'C:', server: 'S:', info: ' *' }[entry.direction];
    console.log(`  ${arrow} ${entry.text}`);
  }
  console.log(`\nSent ${message.size} octets as ${message.messageId} over ${result.tls?.protocol}`);
  console.log(`Accepted: ${result.accepted.map((r) => r.address).join(', ')}`);
  console.log(`Server reply: ${result.reply.code} ${result.reply.lines.join(' ')}`);
  console.log('\nThe message as the server received it:\n');
  console.log(received.toString('utf8'));
} finally {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

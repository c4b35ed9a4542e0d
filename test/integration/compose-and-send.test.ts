// The composer and the client together, as the action will use them: what the composer builds,
// the client delivers to a real server, and a real parser reads back as it was described.
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { composeMessage, type MessageInput } from '../../src/mime/index.js';
import { sendMail } from '../../src/smtp/index.js';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';
import { testTls } from '../helpers/tls-fixtures.js';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function composeAndSend(input: MessageInput): Promise<RunningServer> {
  running = await startSmtpServer({ secure: true });
  const composed = composeMessage(input);
  await sendMail({
    host: '127.0.0.1',
    port: running.port,
    tls: 'implicit',
    tlsOptions: { ca: testTls.ca, servername: 'localhost' },
    envelope: composed.envelope,
    message: composed.bytes,
  });
  return running;
}

describe('composeMessage + sendMail', () => {
  it('delivers a hostile pull request title as one harmless Subject, Bcc only in the envelope', async () => {
    const subject = 'Fix: café ✅ \r\nBcc: victim@example.com =?UTF-8?Q?=0D=0AX:_y?=';
    const server = await composeAndSend({
      from: 'CI Bot <ci@example.com>',
      to: 'Jörg Müller <dev@example.com>',
      bcc: 'audit@example.com',
      subject,
      text: 'line one\n.leading dot\nline three',
      attachments: [{ filename: 'résumé.txt', content: Buffer.from('attached\n') }],
    });
    const received = server.received[0];
    expect(received?.to).toEqual(['dev@example.com', 'audit@example.com']);
    const parsed = await simpleParser(received?.data ?? Buffer.alloc(0));
    expect(parsed.subject).toBe('Fix: café ✅ Bcc: victim@example.com =?UTF-8?Q?=0D=0AX:_y?=');
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.headers.has('x')).toBe(false);
    expect(parsed.text?.replace(/\r\n/g, '\n')).toBe('line one\n.leading dot\nline three');
    expect(parsed.attachments[0]?.filename).toBe('résumé.txt');
    expect(parsed.attachments[0]?.content.toString()).toBe('attached\n');
  });

  it('sends a message with a UTF-8 address in its headers with SMTPUTF8 (RFC 6531, 6532)', async () => {
    const server = await composeAndSend({
      from: 'ci@example.com',
      to: 'dev@example.com',
      replyTo: 'jörg@example.com',
      subject: 'utf-8 header',
      text: 'x',
    });
    expect(server.received[0]?.mailArgs.SMTPUTF8).toBe(true);
    const parsed = await simpleParser(server.received[0]?.data ?? Buffer.alloc(0));
    expect(parsed.replyTo?.value[0]?.address).toBe('jörg@example.com');
  });
});

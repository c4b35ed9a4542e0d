/**
 * Test-only: a bare TCP client for a real `smtp-server` on 127.0.0.1, just enough to run the
 * AUTH exchange against it. Reads the greeting, sends EHLO, then implements AuthChannel by
 * writing a line and reading one reply. Not the project's connection layer.
 */
import { createConnection, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AuthChannel } from '../../../src/smtp/auth/index.js';
import type { Reply } from '../../../src/smtp/reply.js';

export interface TestSession {
  channel: AuthChannel;
  /** Mechanisms listed in the EHLO reply's AUTH line. */
  offered: string[];
  /** Every line the client sent, as sent. */
  sent: string[];
  close(): Promise<void>;
}

/** Reads one possibly multi-line reply (RFC 5321 4.2.1) from the socket. */
function createReplyReader(socket: Socket): () => Promise<Reply> {
  let buffered = '';
  const waiting: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    waiting.splice(0).forEach((wake) => wake());
  });
  return async () => {
    const lines: string[] = [];
    for (;;) {
      const end = buffered.indexOf('\r\n');
      if (end === -1) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      lines.push(line.slice(4));
      if (line[3] !== '-') return { code: Number(line.slice(0, 3)), lines };
    }
  };
}

export async function startServer(options: SMTPServerOptions): Promise<SMTPServer> {
  const server = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export async function openSession(server: SMTPServer): Promise<TestSession> {
  const { port } = server.server.address() as AddressInfo;
  const socket = createConnection({ host: '127.0.0.1', port });
  const readReply = createReplyReader(socket);
  const sent: string[] = [];
  const send = async (line: string): Promise<Reply> => {
    sent.push(line);
    socket.write(`${line}\r\n`);
    return readReply();
  };
  await readReply();
  const ehlo = await send('EHLO client.test');
  const authLine = ehlo.lines.find((line) => line.toUpperCase().startsWith('AUTH '));
  return {
    channel: { send: (line) => send(line) },
    offered: authLine?.split(' ').slice(1) ?? [],
    sent,
    close: () => new Promise((resolve) => socket.end(resolve)),
  };
}

/**
 * The real smtp-server behind a recording proxy, for the injection tests: every connection is
 * counted, and the client's commands are read back from the bytes it sent, so a test can say the
 * server saw exactly the intended commands and nothing else.
 */
import type { SMTPServerOptions } from 'smtp-server';
import { startFlightRecorder, type FlightRecorder } from '../helpers/flight-recorder.js';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';

export interface WirePeer {
  server: RunningServer;
  /** The port to send to: the recorder's. */
  port: number;
  /** TCP connections the server accepted. */
  connections(): number;
  /** The client's command lines, the message content between DATA and the dot left out. */
  commands(): string[];
  close(): Promise<void>;
}

/** Starts smtp-server (plaintext, DSN offered) and a recorder in front of it. */
export async function startWirePeer(options: SMTPServerOptions = {}): Promise<WirePeer> {
  const server = await startSmtpServer({
    disabledCommands: ['STARTTLS'],
    hideDSN: false,
    ...options,
  });
  let connections = 0;
  server.server.server.on('connection', () => {
    connections += 1;
  });
  const recorder = await startFlightRecorder(server.port);
  return {
    server,
    port: recorder.port,
    connections: () => connections,
    commands: () => commandLines(recorder),
    close: async () => {
      await recorder.close();
      await server.close();
    },
  };
}

/**
 * Splits what the client sent at CRLF. Every piece before DATA, and after the lone dot that ends
 * the content (RFC 5321 4.1.1.4), is one command; a bare CR or LF inside one stays in it, where
 * the caller's check finds it.
 */
function commandLines(recorder: FlightRecorder): string[] {
  const sent = Buffer.concat(
    recorder.crossings.filter((c) => c.from === 'client').map((c) => c.bytes),
  ).toString('utf8');
  const lines = sent.split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  const commands: string[] = [];
  let inContent = false;
  for (const line of lines) {
    if (inContent) {
      inContent = line !== '.';
      continue;
    }
    commands.push(line);
    inContent = line.toUpperCase() === 'DATA';
  }
  return commands;
}

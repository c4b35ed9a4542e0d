import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { listenOnLoopback } from './loopback.js';
import { testTls } from './tls-fixtures.js';

/** A message as the real server received it. */
export interface ReceivedMessage {
  from: string;
  to: string[];
  /** MAIL FROM parameters as the server parsed them (SIZE, BODY, SMTPUTF8...). */
  mailArgs: Record<string, unknown>;
  /** The content after the server removed the dot-stuffing and the final dot. */
  data: Buffer;
  transaction: number;
}

export interface RunningServer {
  server: SMTPServer;
  port: number;
  received: ReceivedMessage[];
  /** MAIL FROM commands the server saw, accepted or not. */
  mailCommands: number;
  close(): Promise<void>;
}

/**
 * Starts the real `smtp-server` on 127.0.0.1 with an ephemeral port, recording every message
 * it receives. Options are passed through; TLS material defaults to the test certificate.
 */
export async function startSmtpServer(options: SMTPServerOptions = {}): Promise<RunningServer> {
  const received: ReceivedMessage[] = [];
  const running = { received, mailCommands: 0 } as RunningServer;
  const server = new SMTPServer({
    key: testTls.key,
    cert: testTls.cert,
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    ...options,
    onMailFrom(address, session, callback) {
      running.mailCommands += 1;
      if (options.onMailFrom) options.onMailFrom(address, session, callback);
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(describe(session, Buffer.concat(chunks)));
        callback();
      });
    },
  });
  running.server = server;
  running.port = await listenOnLoopback(server.server);
  running.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return running;
}

/** An error smtp-server turns into a reply with this code (its `responseCode`) and text. */
export function refusal(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

function describe(session: SMTPServerSession, data: Buffer): ReceivedMessage {
  const mailFrom = session.envelope.mailFrom;
  return {
    from: mailFrom === false ? '' : mailFrom.address,
    to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    mailArgs: (mailFrom === false ? {} : (mailFrom.args as Record<string, unknown>)) ?? {},
    data,
    transaction: session.transaction,
  };
}

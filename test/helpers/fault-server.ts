/**
 * A fault-injecting SMTP server for the reliability suite (issue 6), on 127.0.0.1 only. Unlike
 * scripted-server.ts, which plays a fixed script, this is a small but honest state machine
 * (RFC 5321 greeting, EHLO, MAIL, RCPT, DATA, RSET, QUIT; RFC 3207 STARTTLS; RFC 4954 AUTH PLAIN
 * and LOGIN checked against TEST_USERNAME / TEST_PASSWORD) that behaves correctly unless told
 * to misbehave at a step (see fault-server-faults.ts):
 *
 *     const server = await startFaultServer({
 *       faults: [{ at: 'MAIL', connection: 0, action: { reply: ['421 4.3.2 Bye'], then: 'end' } }],
 *     });
 *     // ... send to server.port ...
 *     server.connections[0].commands;  // every line the client sent, AUTH lines included
 *     server.accepted;                 // messages answered 250 after their dot, all connections
 *
 * A fault replaces the reply to its step. The step's effect (a sender noted, TLS started, the
 * message accepted) happens only when the fault's reply has the right reply's code.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Fault } from './fault-server-faults.js';
import { FaultSession } from './fault-server-session.js';
import { listenOnLoopback } from './loopback.js';
import { serverTlsOptions } from './tls-fixtures.js';

export type { Fault, FaultAction, FaultPlace } from './fault-server-faults.js';

export interface FaultServerOptions {
  faults?: readonly Fault[];
  /** TLS from the first byte (RFC 8314) instead of plaintext with STARTTLS offered. */
  implicitTls?: boolean;
  /** Offer STARTTLS on a plaintext connection; default true. */
  offerStartTls?: boolean;
  /** Mechanisms listed after AUTH in EHLO; default PLAIN and LOGIN. Only those two verify. */
  authMechanisms?: readonly string[];
  /** Offer PIPELINING (RFC 2920); default true. */
  pipelining?: boolean;
}

/** What one connection received. */
export interface FaultConnection {
  readonly index: number;
  /** Every line the client sent outside message content, in order: AUTH and SASL lines too. */
  readonly commands: string[];
  /** The lines of AUTH exchanges (the AUTH command and each response): a subset of commands. */
  readonly authLines: string[];
  /** The content of each DATA up to its final dot, accepted or not (dot-stuffing kept). */
  readonly contents: Buffer[];
  /** Messages answered 250 after their dot. */
  accepted: number;
  /** Every byte received, decrypted after TLS, in order. */
  readonly received: Buffer[];
  /** Resolves when the connection has closed. */
  readonly closed: Promise<void>;
  /** Everything received, as latin1 text. */
  text(): string;
}

export interface FaultServer {
  readonly port: number;
  readonly connections: readonly FaultConnection[];
  /** Contents of every accepted message, over all connections, in order. */
  readonly accepted: readonly Buffer[];
  close(): Promise<void>;
}

export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const connections: FaultConnection[] = [];
  const accepted: Buffer[] = [];
  const sessions = new Set<FaultSession>();
  const onSocket = (socket: Socket): void => {
    const { record, onClosed } = createRecord(connections.length);
    connections.push(record);
    const session = new FaultSession(socket, record, onClosed, options, accepted);
    sessions.add(session);
    void record.closed.then(() => sessions.delete(session));
    void session.start();
  };
  const server: Server = options.implicitTls
    ? createTlsServer(serverTlsOptions, onSocket)
    : createTcpServer(onSocket);
  server.on('tlsClientError', () => undefined);
  const port = await listenOnLoopback(server);
  return {
    port,
    connections,
    accepted,
    close: async () => {
      // The session's socket: after STARTTLS, the TLS socket over the accepted one.
      for (const session of sessions) session.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An empty record of what connection `index` receives, and what to call when it closes. */
function createRecord(index: number): { record: FaultConnection; onClosed: () => void } {
  const received: Buffer[] = [];
  let onClosed: () => void = () => undefined;
  const record: FaultConnection = {
    index,
    commands: [],
    authLines: [],
    contents: [],
    accepted: 0,
    received,
    closed: new Promise((resolve) => (onClosed = resolve)),
    text: () => Buffer.concat(received).toString('latin1'),
  };
  return { record, onClosed };
}

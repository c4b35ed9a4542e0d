/**
 * The two sides of the round-trip benchmarks: one in-process `smtp-server` with a STARTTLS
 * ("587") and an implicit-TLS ("465") listener, and two senders of the same message bytes to the
 * same recipients, ours and nodemailer, with the same TLS settings (TLS 1.3, certificate and
 * name checked against the test CA), AUTH PLAIN and no connection pooling.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { createTransport } from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { composeMessage } from '../src/mime/index.js';
import { sendMail, type SendResult } from '../src/smtp/index.js';
import { projectRoot } from './paths.js';

export type Sender = 'ours' | 'nodemailer';
export type TlsPort = 'starttls' | 'implicit';

export const SENDERS: readonly Sender[] = ['ours', 'nodemailer'];

// The committed test CA and the certificate it signed for 127.0.0.1 (files only: bench/ imports
// nothing from test/).
const pem = (name: string): string =>
  readFileSync(join(projectRoot, 'test/fixtures/tls', name), 'utf8');
const tlsFiles = { ca: pem('ca.pem'), cert: pem('server.pem'), key: pem('server-key.pem') };

/**
 * Our client ADDS a given CA to Node's default roots (src/smtp/tls.ts); nodemailer's `tls.ca`
 * REPLACES them. Handing nodemailer the same list keeps the trust store, and the cost of building
 * a TLS context from it (tens of ms for ~150-270 roots), the same on both sides.
 */
function defaultRootsPlusTestCa(): string[] {
  const getCa = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
  const roots = typeof getCa === 'function' ? getCa('default') : tls.rootCertificates;
  return [...roots, tlsFiles.ca];
}

/** Benchmark-only credentials; the server accepts exactly these. */
const credentials = { username: 'bench@example.test', password: 'bench-password-not-secret' };
/** Both clients greet with the same name, so both send the same bytes. */
const EHLO_NAME = 'bench.smtp-notify.test';
const SENDER_ADDRESS = 'ci@example.test';

export interface BenchServerOptions {
  /** Recipients accepted per transaction; the next get `452 4.5.3` (RFC 5321 4.5.3.1.10). */
  maxRecipientsPerTransaction?: number;
}

export interface BenchServer {
  ports: Record<TlsPort, number>;
  /** How many times each recipient received a message (after the final dot). */
  deliveries: Map<string, number>;
  messages: number;
  /** TLS protocol of every secured session, e.g. "TLSv1.3". */
  tlsProtocols: Set<string>;
  close(): Promise<void>;
}

function serverOptions(server: BenchServer, limit: number | undefined): SMTPServerOptions {
  return {
    key: tlsFiles.key,
    cert: tlsFiles.cert,
    minVersion: 'TLSv1.3',
    logger: false,
    disableReverseLookup: true,
    authMethods: ['PLAIN'],
    onAuth(auth, _session, callback) {
      const ok = auth.username === credentials.username && auth.password === credentials.password;
      if (ok) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onSecure(socket, _session, callback) {
      server.tlsProtocols.add(
        (socket as { getProtocol?: () => string | null }).getProtocol?.() ?? '?',
      );
      callback();
    },
    onRcptTo(_address, session, callback) {
      // smtp-server empties rcptTo at MAIL and RSET, so this counts per transaction.
      if (limit !== undefined && session.envelope.rcptTo.length >= limit) {
        callback(Object.assign(new Error('4.5.3 Too many recipients'), { responseCode: 452 }));
      } else callback();
    },
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        server.messages += 1;
        for (const { address } of session.envelope.rcptTo) {
          server.deliveries.set(address, (server.deliveries.get(address) ?? 0) + 1);
        }
        callback();
      });
    },
  };
}

async function listen(smtp: SMTPServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  const address = smtp.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Starts both listeners on ephemeral ports of 127.0.0.1. */
export async function startBenchServer(options: BenchServerOptions = {}): Promise<BenchServer> {
  const server = {
    deliveries: new Map<string, number>(),
    messages: 0,
    tlsProtocols: new Set<string>(),
  } as BenchServer;
  const common = serverOptions(server, options.maxRecipientsPerTransaction);
  const starttls = new SMTPServer({ ...common, secure: false });
  const implicit = new SMTPServer({ ...common, secure: true });
  server.ports = { starttls: await listen(starttls), implicit: await listen(implicit) };
  server.close = async () => {
    await Promise.all(
      [starttls, implicit].map((smtp) => new Promise<void>((resolve) => smtp.close(resolve))),
    );
  };
  return server;
}

/** One message to send: the same bytes and envelope for both senders. */
export interface BenchMessage {
  from: string;
  to: string[];
  bytes: Buffer;
}

/** `count` recipients and a composed message addressed to the first of them. */
export function createBenchMessage(count: number): BenchMessage {
  const to = Array.from({ length: count }, (_, index) => `dev${index + 1}@example.test`);
  const composed = composeMessage({
    from: `CI <${SENDER_ADDRESS}>`,
    to: to[0] ?? 'dev1@example.test',
    subject: 'Build passed',
    text: 'The build passed.\n'.repeat(20),
    html: '<p>The build <b>passed</b>.</p>\n'.repeat(20),
  });
  return { from: SENDER_ADDRESS, to, bytes: Buffer.from(composed.bytes) };
}

/** What a sender reported, in the same shape for both. */
export interface SendReport {
  accepted: number;
  rejected: number;
  /** Transactions ours used; undefined for nodemailer, which does not say. */
  transactions: number | undefined;
}

/** Sends with our client, as the action does (no pooling: one connection per send). */
async function sendWithOurs(
  port: number,
  mode: TlsPort,
  message: BenchMessage,
): Promise<SendReport> {
  const result: SendResult = await sendMail({
    host: '127.0.0.1',
    port,
    tls: mode,
    tlsOptions: { ca: tlsFiles.ca },
    auth: { ...credentials, mechanism: 'PLAIN' },
    ehloName: EHLO_NAME,
    envelope: { from: message.from, to: message.to },
    message: message.bytes,
  });
  return {
    accepted: result.accepted.length,
    rejected: result.rejected.length,
    transactions: result.transactions,
  };
}

/** Sends the same raw bytes and envelope with nodemailer, a fresh transport each time. */
async function sendWithNodemailer(
  port: number,
  mode: TlsPort,
  message: BenchMessage,
): Promise<SendReport> {
  const transport = createTransport({
    host: '127.0.0.1',
    port,
    secure: mode === 'implicit',
    requireTLS: mode === 'starttls',
    tls: { ca: defaultRootsPlusTestCa() },
    auth: { user: credentials.username, pass: credentials.password },
    authMethod: 'PLAIN',
    name: EHLO_NAME,
    pool: false,
  });
  try {
    const info = await transport.sendMail({
      envelope: { from: message.from, to: message.to },
      raw: message.bytes,
    });
    return {
      accepted: info.accepted.length,
      rejected: info.rejected.length,
      transactions: undefined,
    };
  } finally {
    transport.close();
  }
}

/** The sender by name. */
export function sendWith(
  sender: Sender,
  port: number,
  mode: TlsPort,
  message: BenchMessage,
): Promise<SendReport> {
  return sender === 'ours'
    ? sendWithOurs(port, mode, message)
    : sendWithNodemailer(port, mode, message);
}

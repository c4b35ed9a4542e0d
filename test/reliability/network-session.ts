/**
 * What the network-fault tests share: the real smtp-server with AUTH PLAIN behind the fault
 * proxy, the send they all make, and the hygiene capture of what a user would see. The map of
 * a clean session (where each step starts in each direction) is in network-session-map.ts.
 */
import type { SMTPServerOptions } from 'smtp-server';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import {
  SmtpError,
  sendMail,
  type SendMailOptions,
  type SendResult,
  type Timeouts,
} from '../../src/smtp/index.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../helpers/fault-proxy.js';
import { TEST_PASSWORD, TEST_USERNAME, captureForHygiene } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';
import { testCa } from '../helpers/tls-fixtures.js';

export const networkMessage = Buffer.from(
  'From: ci@example.com\r\nTo: dev@example.com\r\nMessage-ID: <net-1@smtp-notify.test>\r\n' +
    'Subject: network faults\r\n\r\nThe build is green.\r\n.leading dot, stuffed\r\n',
);

/**
 * Long enough for a loaded machine, short enough that a client stuck by mistake fails the test
 * instead of hanging it. A case that tests a timeout makes that one short.
 */
const ampleTimeouts: Readonly<Partial<Timeouts>> = Object.freeze({
  connect: 5_000,
  greeting: 5_000,
  command: 5_000,
  dataBlock: 5_000,
  finalReply: 5_000,
  total: 15_000,
});

/** `ampleTimeouts` with `short` at 300 ms: a stall must end on that one and no other. */
export function timeoutsWithShort(short: keyof Timeouts): Partial<Timeouts> {
  return { ...ampleTimeouts, [short]: 300 };
}

/**
 * Registers a cleanup for when the test finishes: the test context's `onTestFinished`, which
 * concurrent tests need (the global one cannot tell them apart).
 */
export type Defer = (cleanup: () => Promise<void>) => void;

/**
 * The real server with AUTH PLAIN only (so the conversation has the same shape every time),
 * allowed without TLS since the client is on loopback; `options` add to or override that.
 */
export async function startAuthServer(
  defer: Defer,
  options: SMTPServerOptions = {},
): Promise<RunningServer> {
  const running = await startSmtpServer({
    authMethods: ['PLAIN'],
    allowInsecureAuth: true,
    ...options,
    onAuth(auth, _session, callback) {
      const valid = auth.username === TEST_USERNAME && auth.password === TEST_PASSWORD;
      callback(valid ? null : new Error('Invalid credentials'), { user: auth.username });
    },
  });
  // A connection the proxy resets is an expected event here, not a crash.
  running.server.on('error', () => undefined);
  defer(() => running.close());
  return running;
}

/** A proxy in front of `port`. */
export async function proxyFor(
  defer: Defer,
  port: number,
  fault?: Fault | ((index: number) => Fault | undefined),
): Promise<FaultProxy> {
  const proxy = await startFaultProxy(port, fault);
  defer(() => proxy.close());
  return proxy;
}

export type SessionTls = 'none' | 'starttls' | 'implicit';

/**
 * Nothing of the test password, as it is or in base64 at any alignment (so inside an AUTH PLAIN
 * blob or a LOGIN answer too), in what the client sent on any of `proxy`'s connections.
 */
export function expectNoCredentialsSent(proxy: FaultProxy): void {
  for (const link of proxy.connections) {
    assertNoSecrets(link.fromClient.toString('latin1'), [TEST_PASSWORD]);
  }
}

/** The send every network test makes to 127.0.0.1:`port`, authenticated; `extra` wins. */
export function networkSend(
  port: number,
  tls: SessionTls,
  extra: Partial<SendMailOptions> = {},
): SendMailOptions {
  return {
    host: '127.0.0.1',
    port,
    tls,
    ...(tls === 'none' ? {} : { tlsOptions: { ca: testCa } }),
    ehloName: 'runner.example.com',
    auth: { username: TEST_USERNAME, password: TEST_PASSWORD },
    envelope: { from: 'ci@example.com', to: ['dev@example.com'] },
    message: networkMessage,
    timeouts: ampleTimeouts,
    ...extra,
  };
}

/** How a send ended: its result, or the SmtpError it failed with (anything else is thrown). */
export type SendEnd = { result: SendResult; error?: undefined } | { error: SmtpError };

export async function sendAndCapture(options: SendMailOptions, source: string): Promise<SendEnd> {
  try {
    const result = await sendMail(options);
    for (const warning of result.warnings) captureForHygiene(`${source}: warning`, warning);
    captureForHygiene(`${source}: transcript`, renderTranscript(result.transcript));
    return { result };
  } catch (error) {
    if (!(error instanceof SmtpError)) throw error;
    captureFailure(source, error, options);
    return { error };
  }
}

/** Hands the failure to the hygiene check as a user would see it: message, advice, transcript. */
export function captureFailure(
  source: string,
  error: SmtpError,
  options?: Parameters<typeof adviseOnFailure>[1],
): void {
  captureForHygiene(`${source}: String(error)`, String(error));
  captureForHygiene(`${source}: message`, error.message);
  captureForHygiene(`${source}: advice`, adviseOnFailure(error, options));
  captureForHygiene(`${source}: transcript`, renderTranscript(error.transcript));
}

export function renderTranscript(entries: readonly { direction: string; text: string }[]): string {
  return entries.map((entry) => `${entry.direction} ${entry.text}`).join('\n');
}

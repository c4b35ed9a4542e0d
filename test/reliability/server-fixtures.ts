/**
 * What the server-fault files of the reliability suite share: a fault server closed after each
 * test, a send of a marked message with short timeouts, and the checks every case makes on what
 * the server received and on what a user would see.
 */
import { expect, onTestFinished } from 'vitest';
import {
  SmtpError,
  sendMail,
  type SendMailOptions,
  type SendResult,
  type Timeouts,
} from '../../src/smtp/index.js';
import {
  startFaultServer,
  type FaultConnection,
  type FaultServer,
  type FaultServerOptions,
} from '../helpers/fault-server.js';
import {
  TEST_PASSWORD,
  TEST_USERNAME,
  captureErrorForHygiene,
  captureForHygiene,
} from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { sendOptions } from '../helpers/send-fixtures.js';
import { testCa } from '../helpers/tls-fixtures.js';

/** A line no header or command contains: finding it means the server got message content. */
export const BODY_MARK = 'fault-suite-body-4f9d2c';

export const faultMessage = Buffer.from(
  `From: ci@example.com\r\nTo: dev@example.com\r\nSubject: fault suite\r\n\r\n${BODY_MARK}\r\n`,
);

/**
 * About `megabytes` MiB of 78-octet lines, then BODY_MARK: far more than the socket buffers
 * hold, so the client is still writing the content when a fault strikes it.
 */
export function largeMessage(megabytes: number): Buffer {
  const lines = Math.ceil((megabytes * 1024 * 1024) / 78);
  return Buffer.from(
    `Subject: large\r\n\r\n${`${'z'.repeat(76)}\r\n`.repeat(lines)}${BODY_MARK}\r\n`,
  );
}

/** A 421 that closes the connection after it (RFC 5321 3.8). */
export const closing = { reply: ['421 4.3.2 Service shutting down'], then: 'end' } as const;

/** Short enough that every silent server ends its test well inside a second. */
export const shortTimeouts: Readonly<Partial<Timeouts>> = Object.freeze({
  connect: 1_000,
  greeting: 400,
  command: 400,
  dataBlock: 400,
  finalReply: 400,
  total: 10_000,
});

/**
 * Starts a fault server that is closed when the calling test finishes, passed or failed. A
 * concurrent test passes its context's `onTestFinished`: the global one cannot tell which of
 * the tests running at once called it.
 */
export async function faultServer(
  options: FaultServerOptions = {},
  onFinished: (cleanup: () => Promise<void>) => void = onTestFinished,
): Promise<FaultServer> {
  const server = await startFaultServer(options);
  onFinished(() => server.close());
  return server;
}

/** A send of `faultMessage` over plaintext to `port`, with `shortTimeouts`; `extra` wins. */
export function faultSend(port: number, extra: Partial<SendMailOptions> = {}): SendMailOptions {
  return sendOptions(port, { message: faultMessage, timeouts: shortTimeouts, ...extra });
}

/** STARTTLS against the test CA with AUTH as TEST_USERNAME: the usual hosted-runner set-up. */
export const securedAuth: Partial<SendMailOptions> = Object.freeze({
  tls: 'starttls',
  tlsOptions: { ca: testCa, servername: 'localhost' },
  auth: { username: TEST_USERNAME, password: TEST_PASSWORD },
});

/** Sends, which must fail with an SmtpError; captures it for hygiene and returns it. */
export async function sendFailure(source: string, options: SendMailOptions): Promise<SmtpError> {
  const error = await sendMail(options).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SmtpError);
  captureErrorForHygiene(source, error);
  return error as SmtpError;
}

/** Sends, which must succeed; captures the transcript and warnings for hygiene. */
export async function sendSuccess(source: string, options: SendMailOptions): Promise<SendResult> {
  const result = await sendMail(options);
  const transcript = result.transcript.map((entry) => `${entry.direction}: ${entry.text}`);
  captureForHygiene(`${source}: transcript`, transcript.join('\n'));
  captureForHygiene(`${source}: warnings`, result.warnings.join('\n'));
  return result;
}

/** The password reached the server only inside AUTH exchanges, never in any other line. */
export function expectPasswordOnlyInAuth(connection: FaultConnection): void {
  const authLines = new Set(connection.authLines);
  const outside = connection.commands.filter((line) => !authLines.has(line));
  assertNoSecrets(
    [...outside, ...connection.contents.map((c) => c.toString('latin1'))].join('\n'),
    [TEST_PASSWORD],
  );
}

/** The server got no message content on any connection: no DATA content, no body line. */
export function expectNoContent(server: FaultServer): void {
  for (const connection of server.connections) {
    expect(connection.contents).toEqual([]);
    expect(connection.text()).not.toContain(BODY_MARK);
  }
  expect(server.accepted).toEqual([]);
}

/** Waits until every connection the server accepted has closed (no socket left behind). */
export async function allClosed(server: FaultServer): Promise<void> {
  await Promise.all(server.connections.map((connection) => connection.closed));
}

/** Everything an error exposes to a log: message, stack, fields, reply, causes, transcript. */
export function errorText(error: SmtpError): string {
  const parts = [error.command ?? '', JSON.stringify(error.reply ?? null)];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    parts.push(String(cause), cause.stack ?? '');
  }
  parts.push(...error.transcript.map((entry) => entry.text));
  return parts.join('\n');
}

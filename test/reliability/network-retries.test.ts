/**
 * Network faults, part 2 of issue 6, through the action's retry rules (`deliverWithRetries`):
 * the first connection breaks, any later one is clean. A failure known to have delivered
 * nothing is retried and ends with exactly one copy at the server; one after the dot went out
 * is never retried (the server may have the message); a break after the 250 to the dot is a
 * delivery. No test waits for a real backoff.
 */
import { describe, expect, it } from 'vitest';
import {
  describeRetry,
  unknownOutcomeNote,
  type DeliveryResult,
} from '../../src/action/delivery.js';
import type { ServerOptions, Timeouts } from '../../src/smtp/index.js';
import type { Fault } from '../helpers/fault-proxy.js';
import { captureForHygiene } from '../helpers/hygiene.js';
import { deliverWithoutWaits } from './delivery-without-waits.js';
import {
  captureFailure,
  networkMessage,
  networkSend,
  proxyFor,
  renderTranscript,
  startAuthServer,
  timeoutsWithShort,
  type SessionTls,
} from './network-session.js';
import { mapPlainSession, recordSession, replyEnds } from './network-session-map.js';
import { largeMessage } from './server-fixtures.js';

const plain = await mapPlainSession();
const starttls = await recordSession('starttls');
const [, , serverHelloAt = 0] = replyEnds(starttls.server.toString('latin1'));

interface RetryCase {
  name: string;
  tls: SessionTls;
  /** The fault of the first connection (or of every one, with `everyTime`). */
  fault: Fault;
  everyTime?: boolean;
  /** The one short timeout, for a stall. */
  short?: keyof Timeouts;
  message?: Buffer;
  result: DeliveryResult;
  attempts: number;
  received: number;
}

const retried = { result: 'sent', attempts: 2, received: 1 } as const;

const cases: RetryCase[] = [
  {
    name: "the link closed before DATA's reply",
    tls: 'none',
    fault: { cut: 'destroy', direction: 'to-client', atByte: plain.server.rcpt },
    ...retried,
  },
  {
    name: 'the link reset while MAIL went out',
    tls: 'none',
    fault: { cut: 'reset', direction: 'to-server', atByte: plain.client.mail },
    ...retried,
  },
  {
    name: 'the link half-closed in the STARTTLS handshake',
    tls: 'starttls',
    fault: { cut: 'half-close', direction: 'to-client', atByte: serverHelloAt },
    ...retried,
  },
  {
    name: 'the link closed in the implicit TLS handshake',
    tls: 'implicit',
    fault: { cut: 'destroy', direction: 'to-client', atByte: 0 },
    ...retried,
  },
  {
    name: 'the link stalled before the greeting',
    tls: 'none',
    fault: { stall: 'to-client', atByte: 0 },
    short: 'greeting',
    ...retried,
  },
  {
    name: 'the link closed while a large message was still going out',
    tls: 'none',
    fault: { cut: 'destroy', direction: 'to-server', atByte: plain.client.content + 1024 * 1024 },
    // 8 MiB, so a cut in its content comes while the client still writes it.
    message: largeMessage(8),
    ...retried,
  },
  {
    name: "the link closed before the dot's reply",
    tls: 'none',
    fault: { cut: 'destroy', direction: 'to-client', atByte: plain.server.data },
    result: 'unknown',
    attempts: 1,
    received: 1,
  },
  {
    name: 'the link reset while the content went out, the dot right behind it',
    tls: 'none',
    fault: { cut: 'reset', direction: 'to-server', atByte: plain.client.content },
    result: 'unknown',
    attempts: 1,
    received: 0,
  },
  {
    name: "the link stalled before the dot's reply",
    tls: 'none',
    fault: { stall: 'to-client', atByte: plain.server.data },
    short: 'finalReply',
    result: 'unknown',
    attempts: 1,
    received: 1,
  },
  {
    name: "the link closed after the dot's 250, during QUIT",
    tls: 'none',
    fault: { cut: 'destroy', direction: 'to-client', atByte: plain.server.dot },
    result: 'sent',
    attempts: 1,
    received: 1,
  },
  {
    name: "every link closed before DATA's reply",
    tls: 'none',
    fault: { cut: 'reset', direction: 'to-client', atByte: plain.server.rcpt },
    everyTime: true,
    result: 'failed',
    attempts: 3,
    received: 0,
  },
];

/** The network send's server settings, every timeout ample but `short`. */
function serverOf(port: number, tls: SessionTls, short?: keyof Timeouts): ServerOptions {
  // deliverWithRetries sets its own envelope and message over the ones this carries.
  return networkSend(port, tls, short === undefined ? {} : { timeouts: timeoutsWithShort(short) });
}

describe.concurrent('deliverWithRetries over a broken link', () => {
  it.for(cases)('$name', async (retry, { onTestFinished }) => {
    const running = await startAuthServer(onTestFinished, { secure: retry.tls === 'implicit' });
    const fault = (index: number): Fault | undefined =>
      retry.everyTime === true || index === 0 ? retry.fault : undefined;
    const proxy = await proxyFor(onTestFinished, running.port, fault);
    const message = retry.message ?? networkMessage;
    const server = serverOf(proxy.port, retry.tls, retry.short);
    const report = await deliverWithoutWaits(server, message, 2, {
      onRetry: (error, attempt, delayMs) =>
        captureForHygiene('network retry log line', describeRetry(error, attempt, delayMs)),
    });
    if (report.error !== undefined)
      captureFailure(`network retry (${retry.name})`, report.error, server);
    for (const warning of report.warnings) captureForHygiene('network retry warning', warning);
    captureForHygiene('network retry transcript', renderTranscript(report.transcript));

    expect(report.result).toBe(retry.result);
    expect(report.attempts).toBe(retry.attempts);
    expect(proxy.connections).toHaveLength(retry.attempts);
    expect(proxy.connections[0]?.fired).toBe(true);
    expect(running.received).toHaveLength(retry.received);
    // Every attempt sent the same bytes: the copy that arrived is the message as given.
    if (retry.received > 0) expect(running.received[0]?.data.equals(message)).toBe(true);
    if (retry.result === 'unknown') {
      expect(report.error?.outcome).toBe('unknown');
      expect(report.error?.message).toContain(unknownOutcomeNote);
    }
    if (retry.result === 'sent') expect(report.error).toBeUndefined();
    if (retry.result === 'sent' && retry.attempts === 1) {
      expect(report.warnings.join('\n')).toMatch(/QUIT did not complete cleanly/);
    }
  });
});

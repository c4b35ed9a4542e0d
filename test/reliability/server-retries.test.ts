// Issue 6, part 1: which server faults the action retries. Only a failure whose outcome is
// known to be "not delivered" and that may pass next time is tried again; a failure after the
// final dot without a reply (unknown) and a permanent refusal never are. Whatever happens, the
// server takes the message at most once.
// Overlap: test/action/delivery.test.ts (real smtp-server: a 421 greeting retried, 5xx not) and
// delivery-faults.test.ts (scripted: a drop after the dot not retried, a 451 to the dot retried);
// here every server fault of this suite in one table, counting the copies the server accepted.
import { describe, expect, it } from 'vitest';
import type { DeliveryReport } from '../../src/action/delivery.js';
import type { Fault, FaultAction, FaultPlace } from '../helpers/fault-server.js';
import { captureErrorForHygiene, captureForHygiene } from '../helpers/hygiene.js';
import { localServer } from '../helpers/send-fixtures.js';
import { deliverWithoutWaits } from './delivery-without-waits.js';
import {
  closing,
  faultMessage,
  faultServer,
  largeMessage,
  securedAuth,
  shortTimeouts,
} from './server-fixtures.js';

/** Delivers `faultMessage` with up to 2 retries, no real waiting; captures what a user sees. */
async function deliver(port: number, message: Buffer = faultMessage): Promise<DeliveryReport> {
  const retried: string[] = [];
  const server = localServer(port, { ...securedAuth, timeouts: shortTimeouts });
  const report = await deliverWithoutWaits(server, message, 2, {
    onRetry: (error) => retried.push(error.message),
  });
  if (report.error !== undefined) captureErrorForHygiene('deliverWithRetries', report.error);
  captureForHygiene('deliverWithRetries: retries', retried.join('\n'));
  captureForHygiene(
    'deliverWithRetries: transcript',
    report.transcript.map((e) => e.text).join('\n'),
  );
  return report;
}

/** A fault on the first connection only: a retry meets an honest server. */
const once = (at: FaultPlace, action: FaultAction, byte?: number): Fault => ({
  at,
  action,
  connection: 0,
  ...(byte === undefined ? {} : { byte }),
});

// Each case has its own server and waits only on the client's short timeouts: run them at once.
describe.concurrent('retried: not delivered, and may pass next time', () => {
  it.for([
    ['a 421 greeting', once('greeting', closing)],
    ['a 421 to EHLO', once('EHLO', closing)],
    ['a 454 to STARTTLS', once('STARTTLS', { reply: ['454 4.7.0 TLS not available'] })],
    ['a 454 to AUTH', once('AUTH', { reply: ['454 4.7.0 Temporary authentication failure'] })],
    ['a 421 to MAIL', once('MAIL', closing)],
    ['a 451 to RCPT', once('RCPT', { reply: ['451 4.3.0 Try later'] })],
    ['a 421 to DATA', once('DATA', closing)],
    ['a drop before the content', once('DATA', 'drop')],
    ['a 451 to the final dot', once('dot', { reply: ['451 4.3.0 Queue full'] })],
    ['a 421 to the final dot', once('dot', closing)],
    ['no greeting at all', once('greeting', 'silent')],
  ] as const)('%s: sent on the second attempt, one copy accepted', async ([, fault], t) => {
    const server = await faultServer({ faults: [fault] }, t.onTestFinished);
    const report = await deliver(server.port);
    expect(report.result).toBe('sent');
    expect(report.attempts).toBe(2);
    expect(server.connections).toHaveLength(2);
    expect(server.accepted).toHaveLength(1);
    expect(server.accepted[0]?.equals(faultMessage)).toBe(true);
    expect(server.connections[1]?.accepted).toBe(1);
  });
});

describe.concurrent('retried: a drop during the content', () => {
  it('of a message larger than the socket buffers: sent once on the second attempt', async (t) => {
    // Small content and its dot would both be out before the drop: that is "unknown" below.
    const big = largeMessage(8);
    const server = await faultServer(
      { faults: [once('content', 'drop', 65_536)] },
      t.onTestFinished,
    );
    const report = await deliver(server.port, big);
    expect(report.result).toBe('sent');
    expect(report.attempts).toBe(2);
    expect(server.connections[0]?.contents).toEqual([]);
    expect(server.accepted).toHaveLength(1);
    expect(server.accepted[0]?.equals(big)).toBe(true);
  });
});

describe.concurrent('never retried: the outcome is unknown', () => {
  it.for([
    ['dropped after the final dot', 'drop'],
    ['closed after the final dot', 'end'],
    ['silent after the final dot', 'silent'],
    ['a malformed reply to the final dot', { reply: ['OK then'] }],
  ] as const)('%s: one attempt, one copy sent, a person must check', async ([, action], t) => {
    const server = await faultServer({ faults: [once('dot', action)] }, t.onTestFinished);
    const report = await deliver(server.port);
    expect(report.result).toBe('unknown');
    expect(report.attempts).toBe(1);
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]?.contents).toHaveLength(1);
    expect(report.error?.outcome).toBe('unknown');
    expect(report.error?.message).toMatch(/not retried, to avoid delivering a duplicate/);
  });
});

describe.concurrent('never retried: refused for good, or a server not to be trusted', () => {
  it.for([
    ['a 554 greeting', once('greeting', { reply: ['554 5.7.1 No'] })],
    ['STARTTLS not offered', undefined],
    ['bytes injected after the 220 to STARTTLS', once('STARTTLS', { inject: '250 x\r\n' })],
    ['a 535 to AUTH', once('AUTH', { reply: ['535 5.7.8 Bad credentials'] })],
    ['a 550 to MAIL', once('MAIL', { reply: ['550 5.7.1 Not allowed'] })],
    ['a 554 to DATA', once('DATA', { reply: ['554 5.5.1 No'] })],
    ['a 554 to the final dot', once('dot', { reply: ['554 5.7.1 Spam'] })],
    ['a malformed greeting', once('greeting', { reply: ['2x0 hello'] })],
    ['an endless reply to EHLO', once('EHLO', { endless: 'lines' })],
  ] as const)('%s: failed after one attempt, nothing accepted', async ([, fault], t) => {
    const server = await faultServer(
      fault === undefined ? { offerStartTls: false } : { faults: [fault] },
      t.onTestFinished,
    );
    const report = await deliver(server.port);
    expect(report.result).toBe('failed');
    expect(report.attempts).toBe(1);
    expect(server.connections).toHaveLength(1);
    expect(server.accepted).toEqual([]);
    expect(report.error?.outcome).toBe('not-delivered');
  });
});

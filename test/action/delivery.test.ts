/**
 * deliverWithRetries against the real smtp-server: a refused greeting is retried, failures that
 * cannot succeed on a second try are not, and `retries` and the deadline bound the waits
 * (deferred recipients: delivery-deferred.test.ts). Sleep, jitter and the clock are injected: no
 * test waits for a real backoff.
 */
import type { SMTPServerOptions } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { deliverWithRetries, describeRetry } from '../../src/action/delivery.js';
import { SmtpRecipientsError } from '../../src/smtp/index.js';
import { refusal } from '../helpers/smtp-server.js';
import {
  envelopeTo,
  message,
  recordedRequest as request,
  refuseFirst,
  useCountedServers,
} from './delivery-env.js';

const { server } = useCountedServers();

/** onConnect that answers 421 to the first `times` connections, then lets them in. */
const busyFor = (times: number): SMTPServerOptions['onConnect'] =>
  refuseFirst(times, 421, '4.7.0 Try again later');

describe('deliverWithRetries: retried failures', () => {
  it('retries a 421 greeting and delivers the message once, with the same bytes', async () => {
    const { running, connections } = await server({ onConnect: busyFor(1) });
    const { request: req, sleeps, retries } = request(running.port);
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('sent');
    expect(report.attempts).toBe(2);
    expect(connections()).toBe(2);
    expect(running.received).toHaveLength(1);
    expect(running.received[0]?.data.equals(message)).toBe(true);
    expect(report.accepted.map((r) => r.address)).toEqual(['a@example.com']);
    expect(report.response?.code).toBe(250);
    expect(report.error).toBeUndefined();
    // random 0.5 of the 2 s ceiling before the first retry.
    expect(sleeps).toEqual([1000]);
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([[1, 1000]]);
    expect(retries[0]?.error.code).toBe(421);
    expect(describeRetry(retries[0]!.error, 1, 1000)).toBe(
      'Attempt 1 failed (421 4.7.0 Try again later); retrying in 1 s',
    );
    const infos = report.transcript.filter((e) => e.direction === 'info').map((e) => e.text);
    expect(infos).toContain('[attempt 2, after waiting 1 s]');
  });
});

describe('deliverWithRetries: failures that are never retried', () => {
  it('does not retry a 5xx refusal of every recipient: exactly one connection', async () => {
    const { running, connections } = await server({
      onRcptTo: (_address, _session, callback) => callback(refusal(550, '5.1.1 No such user')),
    });
    const { request: req, sleeps } = request(running.port, { retries: 5 });
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('failed');
    expect(report.attempts).toBe(1);
    expect(connections()).toBe(1);
    expect(sleeps).toEqual([]);
    expect(report.error).toBeInstanceOf(SmtpRecipientsError);
    expect(report.rejected.map((r) => [r.address, r.reply.code])).toEqual([['a@example.com', 550]]);
    expect(running.received).toEqual([]);
  });

  it('does not retry a 5xx greeting', async () => {
    const { running, connections } = await server({
      onConnect: (_session, callback) => callback(refusal(554, '5.7.1 Your IP is blocked')),
    });
    const report = await deliverWithRetries(request(running.port).request);
    expect(report.result).toBe('failed');
    expect(report.attempts).toBe(1);
    expect(connections()).toBe(1);
    expect(report.error?.code).toBe(554);
  });

  it('does not retry bad input, and opens no connection', async () => {
    const { running, connections } = await server();
    const { request: req, sleeps } = request(running.port, envelopeTo('not an address'));
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('failed');
    expect(sleeps).toEqual([]);
    expect(report.attempts).toBe(0);
    expect(connections()).toBe(0);
  });
});

describe('deliverWithRetries: limits', () => {
  it('gives up after `retries` retries, saying so', async () => {
    const { running, connections } = await server({ onConnect: busyFor(Infinity) });
    const { request: req, sleeps, retries } = request(running.port, { random: () => 0.999 });
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('failed');
    expect(report.attempts).toBe(3);
    expect(connections()).toBe(3);
    // Full jitter under a ceiling of 2 s, then 4 s.
    expect(sleeps).toEqual([1998, 3996]);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(report.error?.message).toMatch(
      /Gave up after 3 attempts \(the retries input allows 2\)/,
    );
  });

  it('never waits past the deadline and gives up when it is reached', async () => {
    const { running, connections } = await server({ onConnect: busyFor(Infinity) });
    const { request: req, sleeps } = request(running.port, {
      retries: 10,
      deadlineMs: 5_000,
      random: () => 0.999,
    });
    const report = await deliverWithRetries(req);
    // 1998 ms, then the 3996 ms draw cut so that 2 s are left for the last attempt.
    expect(sleeps).toEqual([1998, 1002]);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(5_000);
    expect(report.attempts).toBe(3);
    expect(connections()).toBe(3);
    expect(report.result).toBe('failed');
    expect(report.error?.message).toMatch(/timeout input's overall deadline \(5 s\)/);
  });

  it('stops at once when the caller aborts', async () => {
    const { running, connections } = await server({ onConnect: busyFor(Infinity) });
    const controller = new AbortController();
    const base = request(running.port);
    const report = await deliverWithRetries({
      ...base.request,
      server: { ...base.request.server, signal: controller.signal },
      onRetry: () => controller.abort(new Error('cancelled')),
    });
    expect(report.attempts).toBe(1);
    expect(connections()).toBe(1);
    expect(report.result).toBe('failed');
    expect(report.error?.message).toMatch(/Gave up after 1 attempt: the delivery was aborted/);
  });
});

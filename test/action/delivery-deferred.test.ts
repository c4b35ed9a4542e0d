/**
 * deliverWithRetries when the real smtp-server defers recipients with 4xx (RFC 5321 4.2.5: a
 * transient failure, try again later): those recipients alone are retried, with the same bytes,
 * while 5xx refusals are reported and never retried. No test waits for a real backoff.
 */
import { describe, expect, it } from 'vitest';
import { deliverWithRetries, describeRetry } from '../../src/action/delivery.js';
import { refusal } from '../helpers/smtp-server.js';
import {
  envelopeTo,
  expectSentOnSecondTry,
  message,
  recordedRequest as request,
  refuseFirst,
  useCountedServers,
} from './delivery-env.js';

const { server } = useCountedServers();

describe('deliverWithRetries: retried failures', () => {
  it('retries recipients refused with 4xx alone, with the same Message-ID', async () => {
    let refusedOnce = false;
    const { running, connections } = await server({
      onRcptTo(address, _session, callback) {
        if (address.address === 'b@example.com' && !refusedOnce) {
          refusedOnce = true;
          callback(refusal(450, '4.2.1 Mailbox busy, try later'));
        } else callback();
      },
    });
    const { request: req, retries } = request(
      running.port,
      envelopeTo('a@example.com', 'b@example.com'),
    );
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('sent');
    expect(report.attempts).toBe(2);
    expect(connections()).toBe(2);
    expect(running.received.map((m) => m.to)).toEqual([['a@example.com'], ['b@example.com']]);
    expect(running.received.every((m) => m.data.equals(message))).toBe(true);
    expect(report.accepted.map((r) => r.address)).toEqual(['a@example.com', 'b@example.com']);
    expect(report.rejected).toEqual([]);
    expect(describeRetry(retries[0]!.error, 1, 3_240)).toBe(
      'Attempt 1 failed (RCPT TO:<b@example.com>: 450 4.2.1 Mailbox busy, try later); retrying in 3.2 s',
    );
  });

  it('retries the 4xx recipient but not the 5xx one: partial, 5xx reported', async () => {
    let deferredOnce = false;
    const { running } = await server({
      onRcptTo(address, _session, callback) {
        if (address.address === 'gone@example.com') callback(refusal(550, '5.1.1 No such user'));
        else if (address.address === 'busy@example.com' && !deferredOnce) {
          deferredOnce = true;
          callback(refusal(451, '4.3.0 Temporary lookup failure'));
        } else callback();
      },
    });
    const to = ['a@example.com', 'gone@example.com', 'busy@example.com'];
    const { request: req } = request(running.port, envelopeTo(...to));
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('partial');
    expect(report.error).toBeUndefined();
    expect(report.attempts).toBe(2);
    expect(running.received.map((m) => m.to)).toEqual([['a@example.com'], ['busy@example.com']]);
    expect(report.accepted.map((r) => r.address)).toEqual(['a@example.com', 'busy@example.com']);
    expect(report.rejected.map((r) => [r.address, r.reply.code])).toEqual([
      ['gone@example.com', 550],
    ]);
  });

  it('retries a refusal of every recipient when each was 4xx', async () => {
    await expectSentOnSecondTry(
      await server({ onRcptTo: refuseFirst(1, 450, '4.2.0 Greylisted, come back later') }),
    );
  });

  it('files a deferred recipient refused with 5xx on the retry as rejected, without an error', async () => {
    let busySeen = 0;
    const { running } = await server({
      onRcptTo(address, _session, callback) {
        if (address.address !== 'busy@example.com') return callback();
        busySeen += 1;
        callback(busySeen === 1 ? refusal(450, '4.2.1 Try later') : refusal(550, '5.1.1 Gone'));
      },
    });
    const { request: req } = request(running.port, envelopeTo('a@example.com', 'busy@example.com'));
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('partial');
    expect(report.attempts).toBe(2);
    expect(report.error).toBeUndefined();
    expect(report.rejected.map((r) => [r.address, r.reply.code])).toEqual([
      ['busy@example.com', 550],
    ]);
  });

  it('reports recipients still deferred when the retries run out, next to delivered ones', async () => {
    const { running, connections } = await server({
      onRcptTo(address, _session, callback) {
        if (address.address === 'busy@example.com') callback(refusal(452, '4.2.2 Mailbox full'));
        else callback();
      },
    });
    const { request: req, retries } = request(running.port, {
      ...envelopeTo('a@example.com', 'busy@example.com'),
      retries: 1,
    });
    const report = await deliverWithRetries(req);
    expect(report.result).toBe('partial');
    expect(report.attempts).toBe(2);
    expect(connections()).toBe(2);
    expect(retries).toHaveLength(1);
    expect(running.received).toHaveLength(1);
    expect(report.rejected.map((r) => [r.address, r.reply.code])).toEqual([
      ['busy@example.com', 452],
    ]);
    expect(report.error).toBeUndefined();
    expect(report.warnings.join(' ')).toMatch(/Gave up after 2 attempts/);
  });
});

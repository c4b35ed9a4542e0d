// Many recipients against a server that takes a limited number per transaction (RFC 5321
// 4.5.3.1.10: 452 once the limit is reached). Every recipient must get the message exactly once,
// and once the server has shown its limit the rest go in chunks of that size (4.5.3.1.8), so each
// deferred RCPT is sent once instead of again in every later transaction.
import { describe, expect, it } from 'vitest';
import { sendMail } from '../../src/smtp/index.js';
import { sendOptions, useCleanups } from '../helpers/send-fixtures.js';
import { addresses, limitedServer } from './pipelining-fixtures.js';

const defer = useCleanups();

function rcptLines(flights: readonly string[]): number {
  return flights
    .join('')
    .split('\r\n')
    .filter((line) => line.startsWith('RCPT TO:')).length;
}

describe('recipients over the server limit (RFC 5321 4.5.3.1.8, 4.5.3.1.10)', () => {
  it('after a 452 sends the rest in chunks of the limit: everyone reached once', async () => {
    const { running, proxy } = await limitedServer(defer, 100);
    const to = addresses(250);
    const result = await sendMail(
      sendOptions(proxy.port, { envelope: { from: 'ci@example.com', to } }),
    );
    expect(result.transactions).toBe(3);
    expect(result.accepted).toHaveLength(250);
    expect(result.rejected).toEqual([]);
    expect(running.received.map((message) => message.to.length)).toEqual([100, 100, 50]);
    expect(new Set(running.received.flatMap((message) => message.to)).size).toBe(250);
    // The first transaction names all 250 (the limit is not known yet); after it each deferred
    // address goes once (100 + 50), where repeating them all would send 150 + 50.
    expect(rcptLines(proxy.clientFlights())).toBe(250 + 100 + 50);
    expect(proxy.clientFlights().at(-1)?.endsWith('.\r\nQUIT\r\n')).toBe(true);
  });

  it('still reaches everyone once when the server takes fewer than 100 at a time', async () => {
    const { running, proxy } = await limitedServer(defer, 40);
    const to = addresses(150);
    const result = await sendMail(
      sendOptions(proxy.port, { envelope: { from: 'ci@example.com', to } }),
    );
    expect(result.accepted).toHaveLength(150);
    const reached = running.received.flatMap((message) => message.to);
    expect(reached).toHaveLength(150);
    expect(new Set(reached).size).toBe(150);
  });
});

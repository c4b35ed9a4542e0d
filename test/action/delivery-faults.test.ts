/**
 * deliverWithRetries against a scripted server, for what a real server will not do on cue: drop
 * the connection after the final dot, or in the middle of a second transaction.
 */
import { describe, expect, it } from 'vitest';
import { deliverWithRetries, type DeliveryRequest } from '../../src/action/delivery.js';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import { startScriptedServer, type Script } from '../helpers/scripted-server.js';
import {
  contentAndDot,
  greeted,
  localServer,
  pipelinedEnvelope,
  scriptedMessage,
  transactionTo,
  useCleanups,
} from '../helpers/send-fixtures.js';
import { envelopeTo } from './delivery-env.js';

const defer = useCleanups();

function request(port: number, extra: Partial<DeliveryRequest> = {}): DeliveryRequest {
  return {
    server: localServer(port, {
      timeouts: { greeting: 2_000, command: 2_000, finalReply: 2_000, dataBlock: 2_000 },
    }),
    ...envelopeTo('dev@example.com'),
    message: scriptedMessage,
    retries: 3,
    deadlineMs: 60_000,
    random: () => 0,
    sleep: () => Promise.resolve(),
    ...extra,
  };
}

/** The replies to a pipelined group of MAIL and one RCPT, all accepted. */
const allAccepted = ['250 OK', '250 OK', '354 Go ahead'];
/** The replies to MAIL and two RCPT, the second deferred for the next transaction (RFC 5321 4.5.3.1.10). */
const tooMany = ['250 OK', '250 OK', '452 4.5.3 Too many recipients', '354 Go ahead'];

/** a@ and b@ in one transaction: a accepted, b refused for now, the content and dot read. */
const bBusy: Script = transactionTo(
  ['a@example.com', 'b@example.com'],
  ['250 OK', '250 OK', '450 4.2.1 Mailbox busy', '354 Go ahead'],
);

/** Envelope accepted, content and dot (with QUIT riding along) read, then `after`. */
function delivery(after: Script): Script {
  return [
    ...pipelinedEnvelope,
    { send: '250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 Go ahead\r\n' },
    ...contentAndDot,
    { expect: 'QUIT' },
    ...after,
  ];
}

describe('deliverWithRetries with a scripted server', () => {
  it('does not retry when the connection drops after the final dot: result unknown', async () => {
    const server = defer(await startScriptedServer(delivery([{ drop: true }])));
    const report = await deliverWithRetries(request(server.port));
    expect(report.result).toBe('unknown');
    expect(report.attempts).toBe(1);
    expect(server.connections).toHaveLength(1);
    expect(report.accepted).toEqual([]);
    expect(report.error?.outcome).toBe('unknown');
    expect(report.error?.message).toMatch(/may or may not have been delivered/);
    expect(report.error?.message).toMatch(/not retried, to avoid delivering a duplicate/);
    // The advice says it once, not twice.
    const advice = adviseOnFailure(report.error);
    expect(advice.match(/may or may not have been delivered/g)).toHaveLength(1);
  });

  it('retries a 4xx reply to the final dot, sending the same bytes again', async () => {
    const server = defer(
      await startScriptedServer((index) =>
        delivery([
          {
            send: index === 0 ? '451 4.3.0 Queue full, try later\r\n' : '250 2.0.0 queued as 7\r\n',
          },
          { send: '221 bye\r\n' },
        ]),
      ),
    );
    const retried: number[] = [];
    const report = await deliverWithRetries(
      request(server.port, { onRetry: (error) => retried.push(error.code ?? 0) }),
    );
    expect(report.result).toBe('sent');
    expect(report.attempts).toBe(2);
    expect(retried).toEqual([451]);
    expect(server.connections).toHaveLength(2);
    for (const connection of server.connections) {
      await connection.done;
      expect(connection.failures).toEqual([]);
    }
    expect(report.response?.lines).toEqual(['2.0.0 queued as 7']);
  });

  it('reports partial and does not retry when a second transaction breaks', async () => {
    const script: Script = [
      ...greeted,
      ...transactionTo(['a@example.com', 'b@example.com'], tooMany),
      { send: '250 2.0.0 queued\r\n' },
      { expect: /^MAIL FROM:/ },
      { drop: true },
    ];
    const server = defer(await startScriptedServer(script));
    const report = await deliverWithRetries(
      request(server.port, envelopeTo('a@example.com', 'b@example.com')),
    );
    expect(report.result).toBe('partial');
    expect(report.attempts).toBe(1);
    expect(server.connections).toHaveLength(1);
    expect(report.accepted.map((r) => r.address)).toEqual(['a@example.com']);
    expect(report.error?.outcome).toBe('partial');
    expect(adviseOnFailure(report.error)).toMatch(/delivered to a@example.com before the failure/);
  });

  it('reports the refusals of an earlier transaction when a later one fails', async () => {
    const to = ['a@example.com', 'b@example.com', 'c@example.com'];
    const script: Script = [
      ...greeted,
      ...transactionTo(to, [
        '250 OK',
        '250 OK',
        '550 5.1.1 <b@example.com>: unknown user',
        '452 4.5.3 Too many recipients',
        '354 Go ahead',
      ]),
      { send: '250 2.0.0 queued as A\r\n' },
      ...transactionTo(['c@example.com'], allAccepted),
      { send: '451 4.3.0 Try again later\r\n' },
      { expect: 'QUIT' },
      { send: '221 bye\r\n' },
    ];
    const server = defer(await startScriptedServer(script));
    const report = await deliverWithRetries(request(server.port, envelopeTo(...to)));
    expect(server.connections[0]?.failures).toEqual([]);
    // A 451 after a delivery is not retried: a's copy would go twice.
    expect(report.attempts).toBe(1);
    expect(report.result).toBe('partial');
    expect(report.accepted.map((r) => r.address)).toEqual(['a@example.com']);
    expect(report.rejected.map((r) => [r.address, r.reply.code])).toEqual([['b@example.com', 550]]);
    const advice = adviseOnFailure(report.error);
    expect(advice).toMatch(/^SMTP failed while sending the message.*451 4\.3\.0 Try again later/);
    expect(advice).toContain('refused b@example.com (550 5.1.1 <b@example.com>: unknown user)');
  });

  it('keeps who has the message when a later transaction ends unknown: result unknown', async () => {
    const script: Script = [
      ...greeted,
      ...transactionTo(['a@example.com', 'b@example.com'], tooMany),
      { send: '250 2.0.0 queued as A\r\n' },
      ...transactionTo(['b@example.com'], allAccepted),
      { drop: true },
    ];
    const server = defer(await startScriptedServer(script));
    const report = await deliverWithRetries(
      request(server.port, envelopeTo('a@example.com', 'b@example.com')),
    );
    expect(report.attempts).toBe(1);
    expect(server.connections).toHaveLength(1);
    // a's copy was confirmed with 250 before the break; b's fate is what nobody knows.
    expect(report.accepted.map((r) => r.address)).toEqual(['a@example.com']);
    expect(report.rejected).toEqual([]);
    expect(report.result).toBe('unknown');
    expect(report.error?.message).toMatch(/may or may not have been delivered/);
    expect(adviseOnFailure(report.error)).toContain(
      'An earlier transaction delivered it to a@example.com.',
    );
  });

  it('tries a recipient refused with 4xx again when the same transaction then failed', async () => {
    const first: Script = [
      ...greeted,
      ...bBusy,
      { expect: 'QUIT' },
      { send: '451 4.3.0 Queue full\r\n221 bye\r\n' },
    ];
    const second: Script = [
      ...greeted,
      ...transactionTo(
        ['a@example.com', 'b@example.com'],
        ['250 OK', '250 OK', '250 OK', '354 Go ahead'],
      ),
      { expect: 'QUIT' },
      { send: '250 2.0.0 queued as B\r\n221 bye\r\n' },
    ];
    const server = defer(await startScriptedServer((index) => (index === 0 ? first : second)));
    const report = await deliverWithRetries(
      request(server.port, envelopeTo('a@example.com', 'b@example.com')),
    );
    for (const connection of server.connections) {
      await connection.done;
      expect(connection.failures).toEqual([]);
    }
    expect(report.attempts).toBe(2);
    expect(report.result).toBe('sent');
    expect(report.accepted.map((r) => r.address)).toEqual(['a@example.com', 'b@example.com']);
    expect(report.rejected).toEqual([]);
  });

  it('reports a 4xx refusal heard in a transaction that then ended unknown', async () => {
    const script: Script = [...greeted, ...bBusy, { drop: true }];
    const server = defer(await startScriptedServer(script));
    const report = await deliverWithRetries(
      request(server.port, envelopeTo('a@example.com', 'b@example.com')),
    );
    expect(report.result).toBe('unknown');
    expect(report.attempts).toBe(1);
    // b was refused before the dot, so b certainly has no copy; a's fate is unknown.
    expect(report.accepted).toEqual([]);
    expect(report.rejected.map((r) => [r.address, r.reply.code])).toEqual([['b@example.com', 450]]);
  });

  it('does not report a recipient as refused by an old 4xx once its retry ended unknown', async () => {
    const first: Script = [
      ...greeted,
      ...bBusy,
      { expect: 'QUIT' },
      { send: '250 2.0.0 queued as A\r\n221 bye\r\n' },
    ];
    const second: Script = [
      ...greeted,
      ...transactionTo(['b@example.com'], allAccepted),
      { drop: true },
    ];
    const server = defer(await startScriptedServer((index) => (index === 0 ? first : second)));
    const report = await deliverWithRetries(
      request(server.port, envelopeTo('a@example.com', 'b@example.com')),
    );
    expect(report.attempts).toBe(2);
    expect(report.accepted.map((r) => r.address)).toEqual(['a@example.com']);
    expect(report.rejected).toEqual([]);
    expect(report.result).toBe('unknown');
    expect(report.error?.outcome).toBe('unknown');
  });
});

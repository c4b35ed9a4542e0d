/**
 * Network faults, part 2 of issue 6: a link that stops carrying bytes in one direction without
 * closing (a dead route, a stuck middlebox), at every step of the session, and a slow link. A
 * stall must end in the timeout of the step it hit, named with its phase; only that timeout is
 * short in each case, so a case that ends on any other has found the wrong clock. A slow link
 * must still deliver, byte for byte.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  SmtpTimeoutError,
  type DeliveryOutcome,
  type SmtpPhase,
  type Timeouts,
} from '../../src/smtp/index.js';
import type { Fault, FaultDirection } from '../helpers/fault-proxy.js';
import {
  networkMessage,
  networkSend,
  proxyFor,
  sendAndCapture,
  startAuthServer,
  timeoutsWithShort,
  type SessionTls,
} from './network-session.js';
import { mapPlainSession, recordSession, replyEnds } from './network-session-map.js';
import { largeMessage } from './server-fixtures.js';

const plain = await mapPlainSession();
const starttls = await recordSession('starttls');
const startTlsAt = starttls.client.indexOf('STARTTLS\r\n');
const [, ehloReplyEnd = 0, serverHelloAt = 0] = replyEnds(starttls.server.toString('latin1'));

interface StallCase {
  name: string;
  tls: SessionTls;
  direction: FaultDirection;
  at: number;
  /** The timeout that must end it. */
  clock: keyof Timeouts;
  /** The failure, or `sent` when the stall only kept QUIT's reply away. */
  expected: { phase: SmtpPhase; outcome: DeliveryOutcome; received: number; text: RegExp } | 'sent';
}

const waitingFor = (command: string): RegExp =>
  new RegExp(`did not answer ${command}.* within 300 ms`);

const stalls = (): StallCase[] => {
  const s = plain.server;
  const c = plain.client;
  const nd = (phase: SmtpPhase, text: RegExp) =>
    ({ phase, outcome: 'not-delivered', received: 0, text }) as const;
  const row = (
    name: string,
    direction: FaultDirection,
    at: number,
    clock: keyof Timeouts,
    expected: StallCase['expected'],
    tls: SessionTls = 'none',
  ): StallCase => ({ name, tls, direction, at, clock, expected });
  return [
    row(
      'before the greeting',
      'to-client',
      0,
      'greeting',
      nd('greeting', /sent no greeting.*port and the TLS mode/),
    ),
    row(
      'in the middle of the greeting',
      'to-client',
      5,
      'greeting',
      nd('greeting', /sent no greeting within 300 ms\.$/),
    ),
    row("before EHLO's reply", 'to-client', s.greeting, 'command', nd('ehlo', waitingFor('EHLO'))),
    row('while EHLO goes out', 'to-server', c.ehlo, 'command', nd('ehlo', waitingFor('EHLO'))),
    row(
      "before AUTH's reply",
      'to-client',
      s.ehlo,
      'command',
      nd('auth', waitingFor('AUTH PLAIN')),
    ),
    row(
      'while AUTH goes out',
      'to-server',
      c.auth,
      'command',
      nd('auth', waitingFor('AUTH PLAIN')),
    ),
    row("before MAIL's reply", 'to-client', s.auth, 'command', nd('mail', waitingFor('MAIL FROM'))),
    row('while MAIL goes out', 'to-server', c.mail, 'command', nd('mail', waitingFor('MAIL FROM'))),
    row("before RCPT's reply", 'to-client', s.mail, 'command', nd('rcpt', waitingFor('RCPT TO'))),
    row('while RCPT goes out', 'to-server', c.rcpt, 'command', nd('rcpt', waitingFor('RCPT TO'))),
    row("before DATA's reply", 'to-client', s.rcpt, 'command', nd('data', waitingFor('DATA'))),
    row('while DATA goes out', 'to-server', c.data, 'command', nd('data', waitingFor('DATA'))),
    row('while the content goes out', 'to-server', c.content, 'finalReply', {
      ...nd('message', waitingFor('the end of the message')),
      outcome: 'unknown',
    }),
    row("before the dot's reply", 'to-client', s.data, 'finalReply', {
      ...nd('message', waitingFor('the end of the message')),
      outcome: 'unknown',
      received: 1,
    }),
    row('while QUIT goes out', 'to-server', c.quit, 'command', 'sent'),
    row("before QUIT's reply", 'to-client', s.dot, 'command', 'sent'),
    row(
      'while STARTTLS goes out',
      'to-server',
      startTlsAt,
      'command',
      nd('starttls', waitingFor('STARTTLS')),
      'starttls',
    ),
    row(
      "in the STARTTLS handshake, the client's side",
      'to-server',
      startTlsAt + 10,
      'connect',
      nd('starttls', /TLS handshake .* did not finish within 300 ms/),
      'starttls',
    ),
    row(
      "in the STARTTLS handshake, the server's side",
      'to-client',
      serverHelloAt,
      'connect',
      nd('starttls', /TLS handshake .* did not finish within 300 ms/),
      'starttls',
    ),
    row(
      'before the 220 to STARTTLS',
      'to-client',
      ehloReplyEnd + 5,
      'command',
      nd('starttls', waitingFor('STARTTLS')),
      'starttls',
    ),
    row(
      'in the implicit TLS handshake',
      'to-client',
      0,
      'connect',
      nd('connect', /within 300 ms/),
      'implicit',
    ),
  ];
};

describe.concurrent('a link that stalls', () => {
  it.for(stalls())('$name: ends on its own timeout', async (stall, { onTestFinished }) => {
    const running = await startAuthServer(onTestFinished, { secure: stall.tls === 'implicit' });
    const fault: Fault = { stall: stall.direction, atByte: stall.at };
    const proxy = await proxyFor(onTestFinished, running.port, fault);
    const options = networkSend(proxy.port, stall.tls, {
      timeouts: timeoutsWithShort(stall.clock),
    });
    const end = await sendAndCapture(options, `network stall (${stall.name})`);
    expect(proxy.connections[0]?.fired).toBe(true);
    await sleep(20);
    if (stall.expected === 'sent') {
      expect(end.error).toBeUndefined();
      expect(end.error === undefined && end.result.warnings.join('\n')).toMatch(
        /QUIT did not complete cleanly: .*did not answer QUIT within 300 ms/,
      );
      expect(running.received).toHaveLength(1);
      return;
    }
    expect(end.error).toBeInstanceOf(SmtpTimeoutError);
    expect(end.error).toMatchObject({
      phase: stall.expected.phase,
      outcome: stall.expected.outcome,
      transient: true,
    });
    expect(end.error?.message).toMatch(stall.expected.text);
    expect(running.received).toHaveLength(stall.expected.received);
  });
});

describe.concurrent('a link that stalls in the middle of a large message', () => {
  it('ends on the data block timeout, known not delivered', async ({ onTestFinished }) => {
    const running = await startAuthServer(onTestFinished);
    const fault: Fault = { stall: 'to-server', atByte: plain.client.content + 512 * 1024 };
    const proxy = await proxyFor(onTestFinished, running.port, fault);
    const options = networkSend(proxy.port, 'none', {
      // 8 MiB: more than the socket buffers hold, so a stalled link leaves the write waiting.
      message: largeMessage(8),
      timeouts: timeoutsWithShort('dataBlock'),
    });
    const end = await sendAndCapture(options, 'network stall (large message)');
    expect(end.error).toBeInstanceOf(SmtpTimeoutError);
    expect(end.error).toMatchObject({ phase: 'message', outcome: 'not-delivered' });
    expect(end.error?.message).toMatch(/took no data for 300 ms during message/);
    expect(running.received).toHaveLength(0);
  });
});

/** About 230 KiB. */
const mediumMessage = largeMessage(0.22);

describe.concurrent('a slow link', () => {
  const links: { tls: SessionTls; bytesPerTick: number; message: Buffer }[] = [
    { tls: 'none', bytesPerTick: 7, message: networkMessage },
    { tls: 'starttls', bytesPerTick: 64, message: networkMessage },
    { tls: 'implicit', bytesPerTick: 64, message: networkMessage },
    { tls: 'starttls', bytesPerTick: 4096, message: mediumMessage },
  ];

  it.for(links)(
    'tls $tls, $bytesPerTick bytes a tick: delivered once, intact',
    async (link, { onTestFinished }) => {
      const running = await startAuthServer(onTestFinished, { secure: link.tls === 'implicit' });
      const fault: Fault = { slow: { bytesPerTick: link.bytesPerTick, tickMs: 1 } };
      const proxy = await proxyFor(onTestFinished, running.port, fault);
      const options = networkSend(proxy.port, link.tls, { message: link.message });
      const end = await sendAndCapture(options, `slow link (${link.tls})`);
      expect(end.error).toBeUndefined();
      expect(end.error === undefined && end.result.warnings).toEqual([]);
      expect(running.received).toHaveLength(1);
      // The server removed the dot-stuffing: what arrived is the message as given.
      expect(running.received[0]?.data.equals(link.message)).toBe(true);
      // Every byte crossed in small pieces: the client reassembled its replies from them.
      expect(proxy.connections[0]?.arrivals.length).toBeGreaterThan(4);
    },
  );
});

/**
 * Round trips and wall time under latency (issue 5, part 1): our client and nodemailer send the
 * same message to the same recipients through the latency proxy to one smtp-server, for 1, 10
 * and 100 recipients, over STARTTLS ("587") and implicit TLS ("465"), alternating, several runs
 * each after a warm-up, and are compared with the fewest round trips the RFCs allow.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sumTraffic, startLatencyProxy, type LatencyProxy } from './latency-proxy.js';
import {
  SENDERS,
  createBenchMessage,
  sendWith,
  startBenchServer,
  type BenchMessage,
  type Sender,
  type TlsPort,
} from './peers.js';
import { formatCount, formatMedianRange, median, ratio, rotate } from './stats.js';
import type { BenchTable } from './table.js';

export interface RoundTripOptions {
  runs: number;
  /** One-way latency added by the proxy, in ms (the round trip is twice this). */
  latencyMs: number;
}

/** One send as the proxy saw it. */
export interface SendSample {
  wallMs: number;
  /** Client flights the server answered before the send resolved: the round trips waited. */
  roundTrips: number;
  /** Every client flight, including writes made while closing after the answer. */
  clientFlights: number;
  serverFlights: number;
  clientBytes: number;
  serverBytes: number;
  connections: number;
}

const RECIPIENT_COUNTS = [1, 10, 100] as const;
const PORTS: readonly TlsPort[] = ['starttls', 'implicit'];
const PORT_LABEL: Record<TlsPort, string> = {
  starttls: 'STARTTLS (587)',
  implicit: 'implicit TLS (465)',
};

/**
 * The fewest client flights the RFCs allow for an authenticated send of one message, whatever
 * the number of recipients (all RCPTs pipeline into one group). See FLOOR_NOTES for why.
 */
export const FLOOR_ROUND_TRIPS: Record<TlsPort, number> = { starttls: 6, implicit: 5 };

const FLOOR_NOTES: readonly string[] = [
  'Floor, STARTTLS (6 client flights): (1) EHLO, after the 220 greeting: the greeting is the reply to opening the connection (RFC 5321 3.1, 4.3.2), and until an EHLO reply lists PIPELINING commands and replies go in lockstep (RFC 5321 4.3.1, RFC 2920 3.1); (2) STARTTLS: EHLO may only end a pipelined group (RFC 2920 3.1), and the client needs its reply to know STARTTLS is offered (RFC 3207 3); (3) the TLS 1.3 ClientHello, after the 220 to STARTTLS (RFC 3207 4); (4) the client Finished together with the new EHLO: TLS 1.3 lets the client send application data right after its Finished (RFC 8446 2), and RFC 3207 4.2 asks for a fresh EHLO, whose reply the client needs because everything learned before TLS is discarded; (5) AUTH PLAIN with its initial response, followed in the same group by MAIL, every RCPT and DATA; (6) the content, the final dot and QUIT.',
  'Why AUTH may join the envelope group: RFC 4954 4 makes AUTH the last command of a pipelined group, except when it carries an initial response for a mechanism that completes in one round trip without a security layer, naming PLAIN as such a mechanism. Had the mechanism needed a challenge (LOGIN, CRAM-MD5, SCRAM), AUTH would end its group and the floor would be one flight more.',
  'Why QUIT goes with the dot: RFC 2920 3.1 lets QUIT end a group, and the content and its final dot count as the first "command" of a group; the client has nothing left to wait for but the replies to both.',
  'Floor, implicit TLS (5 client flights): (1) ClientHello; (2) client Finished alone: the server sends its 220 greeting once the handshake is done (RFC 8314 3.3), i.e. after it has the Finished, and EHLO waits for the greeting as above; (3) EHLO; (4) AUTH PLAIN + MAIL + RCPTs + DATA; (5) content + dot + QUIT.',
  'Not counted: the TCP handshake (the proxy accepts at once and delays only data, so both clients pay it alike in this setup, one more round trip on a real network) and the TLS close_notify a client writes after its last answer (nothing waits on it).',
];

function sumSamples(
  opened: LatencyProxy['connections'],
  wallMs: number,
  finished: number,
): SendSample {
  const totals = sumTraffic(opened);
  const roundTrips = opened.reduce((sum, traffic) => sum + traffic.clientRoundTrips(finished), 0);
  return { wallMs, roundTrips, ...totals };
}

/** One send through the proxy; waits for its connections to close before reading the totals. */
export async function measureSend(
  proxy: LatencyProxy,
  send: () => Promise<unknown>,
): Promise<SendSample> {
  const before = proxy.connections.length;
  const started = performance.now();
  await send();
  const finished = performance.now();
  const opened = proxy.connections.slice(before);
  // A client that closes without waiting leaves the close to finish in the background.
  await Promise.race([
    Promise.all(opened.map((traffic) => traffic.closed)),
    sleep(2_000, undefined, { ref: false }),
  ]);
  return sumSamples(opened, finished - started, finished);
}

type Samples = Record<Sender, SendSample[]>;

async function measureCell(
  proxy: LatencyProxy,
  mode: TlsPort,
  message: BenchMessage,
  runs: number,
): Promise<Samples> {
  const samples: Samples = { ours: [], nodemailer: [] };
  const sendOnce = (sender: Sender) =>
    measureSend(proxy, () => sendWith(sender, proxy.port, mode, message));
  for (const sender of SENDERS) await sendOnce(sender);
  for (let run = 0; run < runs; run += 1) {
    // Alternate who goes first, so neither always runs on a machine the other just warmed.
    for (const sender of rotate(SENDERS, run)) samples[sender].push(await sendOnce(sender));
  }
  return samples;
}

function pick(samples: readonly SendSample[], key: keyof SendSample): number[] {
  return samples.map((sample) => sample[key]);
}

function summaryRow(mode: TlsPort, count: number, samples: Samples): string[] {
  const floor = FLOOR_ROUND_TRIPS[mode];
  const trips = (sender: Sender) => median(pick(samples[sender], 'roundTrips'));
  const above = (sender: Sender) => `+${trips(sender) - floor}`;
  const wall = (sender: Sender) => median(pick(samples[sender], 'wallMs'));
  return [
    PORT_LABEL[mode],
    String(count),
    String(floor),
    `${formatCount(pick(samples.ours, 'roundTrips'))} (${above('ours')})`,
    `${formatCount(pick(samples.nodemailer, 'roundTrips'))} (${above('nodemailer')})`,
    formatMedianRange(pick(samples.ours, 'wallMs'), 0),
    formatMedianRange(pick(samples.nodemailer, 'wallMs'), 0),
    ratio(wall('ours'), wall('nodemailer')),
    ratio(trips('ours'), trips('nodemailer')),
  ];
}

function trafficRows(mode: TlsPort, count: number, samples: Samples): string[][] {
  return SENDERS.map((sender) => {
    const list = samples[sender];
    return [
      PORT_LABEL[mode],
      String(count),
      sender,
      formatCount(pick(list, 'clientFlights')),
      formatCount(pick(list, 'serverFlights')),
      formatCount(pick(list, 'clientBytes')),
      formatCount(pick(list, 'serverBytes')),
      formatCount(pick(list, 'connections')),
    ];
  });
}

/** Runs every cell and returns the summary table and the traffic table. */
export async function runRoundTrips(options: RoundTripOptions): Promise<BenchTable[]> {
  const server = await startBenchServer();
  const summary: string[][] = [];
  const traffic: string[][] = [];
  try {
    for (const mode of PORTS) {
      const proxy = await startLatencyProxy({
        targetPort: server.ports[mode],
        oneWayMs: options.latencyMs,
      });
      try {
        for (const count of RECIPIENT_COUNTS) {
          const samples = await measureCell(proxy, mode, createBenchMessage(count), options.runs);
          summary.push(summaryRow(mode, count, samples));
          traffic.push(...trafficRows(mode, count, samples));
        }
      } finally {
        await proxy.close();
      }
    }
  } finally {
    await server.close();
  }
  return [
    buildSummaryTable(options, [...server.tlsProtocols], summary),
    buildTrafficTable(traffic),
  ];
}

function buildSummaryTable(
  options: RoundTripOptions,
  protocols: string[],
  rows: string[][],
): BenchTable {
  return {
    title: `Round trips and wall time at ${options.latencyMs * 2} ms RTT (ours vs nodemailer)`,
    columns: [
      'Session',
      'Recipients',
      'Floor',
      'Ours: round trips (vs floor)',
      'nodemailer: round trips (vs floor)',
      'Ours: ms median (range)',
      'nodemailer: ms median (range)',
      'Time ours/nodemailer',
      'Round trips ours/nodemailer',
    ],
    rows,
    notes: [
      `Method: a TCP proxy on 127.0.0.1 delays every chunk by ${options.latencyMs} ms in each direction (order kept) between each client and one in-process smtp-server (AUTH PLAIN, PIPELINING). Both clients send the same composed message to the same recipients with AUTH PLAIN, TLS 1.3 (negotiated: ${protocols.join(', ') || 'none'}), certificates and names checked against the same trust store (Node's roots plus the test CA), one connection per send, no pooling. One warm-up send each, then ${options.runs} runs each, alternating and swapping who goes first.`,
      'Round trips: client flights (runs of client writes with no server byte reaching the client in between, TLS handshake flights included) that the server answered before the send resolved. Wall time: from the call to the resolved promise.',
      "Absolute times include smtp-server's fixed 100 ms pause before every greeting (its check for clients that talk too early) and the CPU work of both clients and the server in this one process; the latency alone is one way for the greeting plus a round trip per client flight. Both clients pay the same, so the ratios compare the protocol work.",
      ...FLOOR_NOTES,
    ],
  };
}

function buildTrafficTable(rows: string[][]): BenchTable {
  return {
    title: 'Traffic per send through the latency proxy',
    columns: [
      'Session',
      'Recipients',
      'Client',
      'Client flights (all)',
      'Server flights',
      'Bytes client→server',
      'Bytes server→client',
      'Connections',
    ],
    rows,
    notes: [
      'Client flights (all) also counts what a client writes after its last answer: both close with a TLS close_notify. nodemailer (non-pooled) closes the connection after the reply to the final dot without sending QUIT, which RFC 5321 4.1.1.10 asks of a client; ours sends QUIT with the dot and reads its reply, at no extra round trip.',
    ],
  };
}

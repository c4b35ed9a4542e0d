/**
 * Many recipients (issue 5, part 4): 1,000 recipients against a server that accepts 100 per
 * transaction and answers `452 4.5.3 Too many recipients` after that (RFC 5321 4.5.3.1.10; a
 * client is to send the rest in another transaction, 4.5.3.1.8). STARTTLS and AUTH PLAIN through
 * the latency proxy. What each client reports is set against what the server received.
 */
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.js';
import {
  SENDERS,
  createBenchMessage,
  sendWith,
  startBenchServer,
  type BenchServer,
  type BenchMessage,
  type Sender,
  type SendReport,
} from './peers.js';
import { FLOOR_ROUND_TRIPS, measureSend, type SendSample } from './round-trips.js';
import { formatCount, formatMedianRange, median, rotate } from './stats.js';
import type { BenchTable } from './table.js';

export interface ManyRecipientsOptions {
  runs: number;
  /** One-way latency added by the proxy, in ms (the round trip is twice this). */
  latencyMs: number;
}

const RECIPIENTS = 1_000;
const PER_TRANSACTION = 100;

/** One send: what the proxy saw, what the client said, what the server got. */
interface Outcome {
  sample: SendSample;
  report: SendReport | undefined;
  failure: string | undefined;
  /** Messages the server took (one per completed transaction). */
  messages: number;
  /** Distinct recipients the message reached, and how many of them more than once. */
  reached: number;
  duplicates: number;
}

/**
 * The floor for this send: the STARTTLS session's four flights before AUTH, then one flight per
 * transaction (AUTH leads the first envelope group; each later group rides with the previous
 * message's final dot, which RFC 2920 3.1 allows), then the last content with its dot and QUIT.
 */
function floorFor(transactions: number): number {
  return FLOOR_ROUND_TRIPS.starttls - 2 + transactions + 1;
}

async function sendOnce(
  proxy: LatencyProxy,
  server: BenchServer,
  sender: Sender,
  message: BenchMessage,
): Promise<Outcome> {
  server.deliveries.clear();
  const messagesBefore = server.messages;
  let report: SendReport | undefined;
  let failure: string | undefined;
  const sample = await measureSend(proxy, async () => {
    try {
      report = await sendWith(sender, proxy.port, 'starttls', message);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
  });
  const counts = [...server.deliveries.values()];
  return {
    sample,
    report,
    failure,
    messages: server.messages - messagesBefore,
    reached: counts.length,
    duplicates: counts.filter((count) => count > 1).length,
  };
}

function row(sender: Sender, outcomes: readonly Outcome[]): string[] {
  const last = outcomes.at(-1);
  const trips = outcomes.map((outcome) => outcome.sample.roundTrips);
  const messages = outcomes.map((outcome) => outcome.messages);
  const floor = floorFor(median(messages));
  return [
    sender,
    formatMedianRange(
      outcomes.map((outcome) => outcome.sample.wallMs),
      0,
    ),
    `${formatCount(trips)} (floor ${floor}, +${median(trips) - floor})`,
    formatCount(messages),
    last?.report === undefined ? `failed: ${last?.failure ?? '?'}` : String(last.report.accepted),
    last?.report === undefined ? '–' : String(last.report.rejected),
    `${formatCount(outcomes.map((outcome) => outcome.reached))} of ${RECIPIENTS}`,
    formatCount(outcomes.map((outcome) => outcome.duplicates)),
    formatCount(outcomes.map((outcome) => outcome.sample.clientBytes)),
  ];
}

/** 1,000 recipients, 100 per transaction, STARTTLS + AUTH PLAIN, ours and nodemailer. */
export async function runManyRecipients(options: ManyRecipientsOptions): Promise<BenchTable> {
  const server = await startBenchServer({ maxRecipientsPerTransaction: PER_TRANSACTION });
  const proxy = await startLatencyProxy({
    targetPort: server.ports.starttls,
    oneWayMs: options.latencyMs,
  });
  const message = createBenchMessage(RECIPIENTS);
  const outcomes: Record<Sender, Outcome[]> = { ours: [], nodemailer: [] };
  try {
    for (const sender of SENDERS) await sendOnce(proxy, server, sender, message);
    for (let run = 0; run < options.runs; run += 1) {
      for (const sender of rotate(SENDERS, run)) {
        outcomes[sender].push(await sendOnce(proxy, server, sender, message));
      }
    }
  } finally {
    await proxy.close();
    await server.close();
  }
  return buildTable(options, outcomes);
}

function buildTable(
  options: ManyRecipientsOptions,
  outcomes: Record<Sender, Outcome[]>,
): BenchTable {
  const floor = floorFor(Math.ceil(RECIPIENTS / PER_TRANSACTION));
  return {
    title: `${RECIPIENTS} recipients, server limit ${PER_TRANSACTION} per transaction, STARTTLS + AUTH at ${options.latencyMs * 2} ms RTT`,
    columns: [
      'Client',
      'ms median (range)',
      'Round trips (floor for its transactions)',
      'Messages the server took',
      'Reported accepted',
      'Reported rejected',
      'Reached (server side)',
      'Reached twice',
      'Bytes client→server',
    ],
    rows: SENDERS.map((sender) => row(sender, outcomes[sender])),
    notes: [
      `Server: smtp-server that answers \`452 4.5.3 Too many recipients\` to every RCPT after the ${PER_TRANSACTION}th of a transaction (counted per transaction, reset at MAIL and RSET). RFC 5321 4.5.3.1.10 makes 452 the reply to an exhausted recipient limit, and 4.5.3.1.8 asks a client with over 100 recipients to be prepared to send them in 100-recipient chunks. "Reached" counts distinct recipients the server received the message for, after the final dot; "Reached twice" counts duplicates. One warm-up send each, then ${options.runs} runs each, alternating.`,
      `Floor: ${floor} for the ${Math.ceil(RECIPIENTS / PER_TRANSACTION)} transactions that reach everyone; the four STARTTLS flights before AUTH (see the round-trip table), then one flight per transaction: AUTH PLAIN leads the first envelope group, and each later group (MAIL, the deferred RCPTs, DATA) may ride with the previous message's final dot (RFC 2920 3.1: message content may be the first "command" of a group), then the last content with its dot and QUIT.`,
      'Ours sends each later envelope group in the same write as the previous content and its final dot; if that message is refused, the group that followed it is never completed (a 354 to its DATA is answered by closing the connection without a final dot, RFC 5321 4.1.1.4), so a refusal cannot turn into a delivery.',
      'Ours names all 1,000 recipients in the first envelope group (the server limit is not known yet), then sends the 900 it deferred in chunks of what the server took, never under 100 (RFC 5321 4.5.3.1.8): 1,900 RCPT commands. Repeating every deferred recipient in every later group instead would send 5,500.',
      'nodemailer sends every RCPT in one group, delivers to the 100 the server accepted and reports the other 900 as rejected: it does not retry 452 in another transaction, so 900 recipients never get the message unless the caller resends to them.',
    ],
  };
}

/**
 * A map of a clean session as the fault proxy saw it (issue 6, part 2): where the client starts
 * each step and where each of the server's replies ends, so that the network tests can cut or
 * stall the link at the byte where a step begins, in its middle, or right before a reply.
 */
import { sendMail } from '../../src/smtp/index.js';
import type { Arrival } from '../helpers/fault-proxy.js';
import {
  networkSend,
  proxyFor,
  startAuthServer,
  type Defer,
  type SessionTls,
} from './network-session.js';

/** Where each step starts in what the client sent, and ends in what the server sent. */
export const clientStepNames = [
  'ehlo',
  'auth',
  'mail',
  'rcpt',
  'data',
  'content',
  'dot',
  'quit',
] as const;
export const serverReplyNames = [
  'greeting',
  'ehlo',
  'auth',
  'mail',
  'rcpt',
  'data',
  'dot',
  'quit',
] as const;
export type ClientStep = (typeof clientStepNames)[number];
export type ServerReply = (typeof serverReplyNames)[number];

export interface SessionMap {
  /** Where the client starts sending each step. */
  client: Record<ClientStep, number>;
  /** Where the server's greeting and each reply end. */
  server: Record<ServerReply, number>;
  /** Where each of the client's flights starts: bytes sent with no server bytes between. */
  clientFlights: number[];
  clientBytes: number;
  serverBytes: number;
}

/** The end offset of every complete reply in `text` (a reply ends with a `xyz ` line). */
export function replyEnds(text: string): number[] {
  const ends: number[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\r\n', start);
    if (end === -1) return ends;
    if (text[start + 3] === ' ') ends.push(end + 2);
    start = end + 2;
  }
}

/**
 * A clean plaintext session through the proxy, mapped: the client's EHLO, AUTH, MAIL, RCPT,
 * DATA, content, dot and QUIT; the end of the server's greeting and of its replies to EHLO,
 * AUTH, MAIL, RCPT, DATA, the dot and QUIT.
 */
export async function mapPlainSession(): Promise<SessionMap> {
  const recorded = await recordSession('none');
  const map = mapLink(recorded.client.toString('latin1'), recorded.server.toString('latin1'));
  return { ...map, clientFlights: flightStarts(recorded.arrivals) };
}

/** A clean session in `tls` mode through the proxy, as the proxy saw it. */
export async function recordSession(
  tls: SessionTls,
): Promise<{ client: Buffer; server: Buffer; arrivals: readonly Arrival[] }> {
  const cleanups: (() => Promise<void>)[] = [];
  const defer: Defer = (cleanup) => cleanups.push(cleanup);
  try {
    const running = await startAuthServer(defer, { secure: tls === 'implicit' });
    const proxy = await proxyFor(defer, running.port);
    await sendMail(networkSend(proxy.port, tls));
    const link = proxy.connections[0];
    if (link === undefined) throw new Error('no connection went through the proxy');
    await link.closed;
    return { client: link.fromClient, server: link.fromServer, arrivals: link.arrivals };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** The client offsets where a flight starts: its first chunk after server bytes (or none). */
function flightStarts(arrivals: readonly Arrival[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  let previous: Arrival['direction'] = 'to-client';
  for (const arrival of arrivals) {
    if (arrival.direction === 'to-server') {
      if (previous === 'to-client') starts.push(offset);
      offset += arrival.bytes;
    }
    previous = arrival.direction;
  }
  return starts;
}

function mapLink(client: string, server: string): Omit<SessionMap, 'clientFlights'> {
  const ends = replyEnds(server);
  if (ends.length !== serverReplyNames.length) {
    throw new Error(`unexpected session shape:\n${server}`);
  }
  const data = client.indexOf('DATA\r\n');
  return {
    client: {
      ehlo: 0,
      auth: client.indexOf('AUTH PLAIN'),
      mail: client.indexOf('MAIL FROM'),
      rcpt: client.indexOf('RCPT TO'),
      data,
      content: data + 'DATA\r\n'.length,
      dot: client.indexOf('\r\n.\r\nQUIT') + 2,
      quit: client.indexOf('QUIT\r\n'),
    },
    server: Object.fromEntries(
      serverReplyNames.map((name, index) => [name, ends[index] as number]),
    ) as Record<ServerReply, number>,
    clientBytes: client.length,
    serverBytes: server.length,
  };
}

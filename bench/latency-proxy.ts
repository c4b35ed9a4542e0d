/**
 * A TCP proxy on 127.0.0.1 that adds network latency and counts round trips. Benchmark code,
 * not a test helper: it shares nothing with test/.
 *
 * Every chunk is held for a one-way latency before it is passed on, in each direction, in the
 * order it came. Because it works on TCP bytes, a TLS handshake's flights are delayed and
 * counted like any SMTP command: they cost round trips just the same.
 *
 * A client flight is a run of chunks the client wrote with no server byte reaching the client
 * in between: the client sent them without waiting, so they cost one round trip together. Each
 * side is seen from where it stands: a client chunk counts when the client wrote it, a server
 * chunk when it reached the client (after the latency). Server flights are counted the same
 * way from the server's side.
 */
import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';

/** What crossed one connection. */
export interface ConnectionTraffic {
  /** Every run of client writes, including a last one nothing answers (a TLS close_notify). */
  clientFlights: number;
  /**
   * Client flights the server answered by `until` (a `performance.now()` time; default now):
   * the round trips the client waited through. Counted at the moment a send resolved, it leaves
   * out what a client writes while closing after it has its answer.
   */
  clientRoundTrips(until?: number): number;
  serverFlights: number;
  clientBytes: number;
  serverBytes: number;
  /** Resolves once both sockets of the connection have closed. */
  closed: Promise<void>;
}

/** Totals over several connections. */
export interface TrafficTotals {
  connections: number;
  clientFlights: number;
  serverFlights: number;
  clientBytes: number;
  serverBytes: number;
}

export interface LatencyProxy {
  port: number;
  /** Every connection accepted so far, in order. */
  connections: readonly ConnectionTraffic[];
  close(): Promise<void>;
}

export interface LatencyProxyOptions {
  targetPort: number;
  /** Delay added to every chunk in each direction (the round trip is twice this). */
  oneWayMs: number;
}

/** Sums the traffic of some connections (e.g. those one send opened). */
export function sumTraffic(connections: readonly ConnectionTraffic[]): TrafficTotals {
  const totals = { clientFlights: 0, serverFlights: 0, clientBytes: 0, serverBytes: 0 };
  for (const traffic of connections) {
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += traffic[key];
  }
  return { connections: connections.length, ...totals };
}

/**
 * One direction of a connection: chunks leave `delayMs` after they arrived, in arrival order.
 * A single timer drains the queue, so order never depends on timer ties.
 */
class DelayLine {
  readonly #queue: { due: number; bytes: Buffer }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #ending = false;

  constructor(
    private readonly delayMs: number,
    private readonly deliver: (bytes: Buffer) => void,
    private readonly finish: () => void,
  ) {}

  push(bytes: Buffer): void {
    this.#queue.push({ due: performance.now() + this.delayMs, bytes });
    this.#schedule();
  }

  /** Ends the far side once everything queued before the end was delivered. */
  end(): void {
    this.#ending = true;
    this.#schedule();
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const next = this.#queue[0];
    if (next === undefined) {
      if (this.#ending) this.finish();
      return;
    }
    const wait = Math.max(0, next.due - performance.now());
    this.#timer = setTimeout(() => this.#drain(), wait);
  }

  #drain(): void {
    this.#timer = undefined;
    const now = performance.now();
    while (this.#queue[0] !== undefined && this.#queue[0].due <= now + 0.5) {
      this.deliver((this.#queue.shift() as { bytes: Buffer }).bytes);
    }
    this.#schedule();
  }
}

/** One side's flights: runs of its writes with nothing from the other side reaching it between. */
class FlightCounter {
  flights = 0;
  bytes = 0;
  /** When each flight got its first answer. */
  readonly answeredAt: number[] = [];
  #heardSince = true;

  /** This side wrote a chunk. */
  sent(size: number): void {
    if (this.#heardSince) this.flights += 1;
    this.#heardSince = false;
    this.bytes += size;
  }

  /** Bytes from the other side reached this side. */
  heard(): void {
    if (!this.#heardSince && this.flights > 0) this.answeredAt.push(performance.now());
    this.#heardSince = true;
  }
}

/** Relays one connection through two delay lines, counting each side from where it stands. */
function relay(client: Socket, server: Socket, oneWayMs: number): ConnectionTraffic {
  const clientSide = new FlightCounter();
  const serverSide = new FlightCounter();
  const toServer = new DelayLine(
    oneWayMs,
    (bytes) => {
      serverSide.heard();
      server.write(bytes);
    },
    () => server.end(),
  );
  const toClient = new DelayLine(
    oneWayMs,
    (bytes) => {
      clientSide.heard();
      client.write(bytes);
    },
    () => client.end(),
  );
  client.on('data', (bytes: Buffer) => {
    clientSide.sent(bytes.length);
    toServer.push(bytes);
  });
  server.on('data', (bytes: Buffer) => {
    serverSide.sent(bytes.length);
    toClient.push(bytes);
  });
  // A side that stops sending (FIN, or a close without one) is passed on after the latency too.
  for (const event of ['end', 'close'] as const) {
    client.on(event, () => toServer.end());
    server.on(event, () => toClient.end());
  }
  const closed = Promise.all([once(client, 'close'), once(server, 'close')]).then(() => {
    toServer.cancel();
    toClient.cancel();
  });
  for (const [socket, other] of [
    [client, server],
    [server, client],
  ] as const) {
    socket.on('error', () => other.destroy());
  }
  return {
    get clientFlights() {
      return clientSide.flights;
    },
    clientRoundTrips: (until = performance.now()) =>
      clientSide.answeredAt.filter((time) => time <= until).length,
    get serverFlights() {
      return serverSide.flights;
    },
    get clientBytes() {
      return clientSide.bytes;
    },
    get serverBytes() {
      return serverSide.bytes;
    },
    closed,
  };
}

/** Starts the proxy on an ephemeral port of 127.0.0.1 in front of `targetPort`. */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const connections: ConnectionTraffic[] = [];
  const sockets = new Set<Socket>();
  // Half-open allowed: each direction is ended only once its delayed bytes went out.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
    const upstream = createConnection({
      port: options.targetPort,
      host: '127.0.0.1',
      allowHalfOpen: true,
    });
    upstream.setNoDelay(true);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    connections.push(relay(client, upstream, options.oneWayMs));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP port');
  return {
    port: address.port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

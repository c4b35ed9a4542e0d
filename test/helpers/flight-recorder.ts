import { createConnection, createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback.js';

/** One chunk as it crossed the proxy. */
export interface Crossing {
  from: 'client' | 'server';
  bytes: Buffer;
}

export interface FlightRecorder {
  port: number;
  crossings: Crossing[];
  /** Runs of client chunks with no server bytes between them: the client's round trips. */
  clientFlights(): string[];
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server that records every chunk in each direction, in
 * order. For plaintext sessions it shows what the client put in one flight (RFC 2920 groups).
 */
export async function startFlightRecorder(targetPort: number): Promise<FlightRecorder> {
  const crossings: Crossing[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (bytes: Buffer) => {
      crossings.push({ from: 'client', bytes });
      upstream.write(bytes);
    });
    upstream.on('data', (bytes: Buffer) => {
      crossings.push({ from: 'server', bytes });
      client.write(bytes);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    crossings,
    clientFlights: () => groupFlights(crossings),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function groupFlights(crossings: readonly Crossing[]): string[] {
  const flights: string[] = [];
  let previous: Crossing['from'] = 'server';
  for (const crossing of crossings) {
    if (crossing.from === 'client') {
      const text = crossing.bytes.toString('utf8');
      if (previous === 'client') flights[flights.length - 1] += text;
      else flights.push(text);
    }
    previous = crossing.from;
  }
  return flights;
}

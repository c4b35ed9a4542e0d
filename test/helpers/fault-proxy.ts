/**
 * A TCP proxy on 127.0.0.1 that breaks the network between a client and a real server, for the
 * network faults of the reliability suite (issue 6, part 2). It forwards bytes both ways and,
 * per connection, can:
 *
 * - cut the connection once `atByte` bytes went through in one direction: `destroy` (both
 *   sockets closed, each peer sees the end), `half-close` (only that direction ends with a FIN;
 *   the other keeps flowing) or `reset` (both sockets reset: each peer sees a TCP RST);
 * - stall one direction after `atByte` bytes: nothing more is forwarded, nothing is closed, and
 *   the sender is no longer read, so its buffers fill as on a dead link;
 * - slow both directions to `bytesPerTick` bytes every `tickMs` milliseconds;
 * - tamper with one direction, as an attacker on the path would: `edit` gets each chunk and
 *   returns what goes on (STARTTLS stripping, for one).
 *
 * The fault fires when the byte after `atByte` arrives, so `atByte: 0` lets nothing through
 * and a cut at the first byte of a command means the sender was writing that command. Every
 * byte each side sent to the proxy is recorded, forwarded or not.
 *
 *     const proxy = await startFaultProxy(server.port, (index) =>
 *       index === 0 ? { cut: 'reset', direction: 'to-client', atByte: 120 } : undefined,
 *     );
 *     // connect the client to proxy.port ...
 *     proxy.connections[0]?.fromClient.toString('latin1');
 *     await proxy.close();
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { Pipe } from './fault-proxy-pipe.js';
import { listenOnLoopback } from './loopback.js';

/** Which way the bytes a fault acts on are going. */
export type FaultDirection = 'to-server' | 'to-client';

/** How a cut ends the connection. */
export type CutMode = 'destroy' | 'half-close' | 'reset';

export type Fault =
  | { cut: CutMode; direction: FaultDirection; atByte: number }
  | { stall: FaultDirection; atByte: number }
  | { slow: { bytesPerTick: number; tickMs?: number } }
  | { tamper: FaultDirection; edit: (chunk: Buffer) => Buffer };

/** One client connection as the proxy saw it. */
export interface ProxiedConnection {
  readonly fault: Fault | undefined;
  /** Every byte the client sent, forwarded or not. */
  readonly fromClient: Buffer;
  /** Every byte the server sent, forwarded or not. */
  readonly fromServer: Buffer;
  /** Bytes passed on in each direction. */
  readonly forwarded: Readonly<Record<FaultDirection, number>>;
  /** Each chunk as it arrived, in order across both directions: who sent it, how long. */
  readonly arrivals: readonly Arrival[];
  /** True once the cut or stall happened. */
  readonly fired: boolean;
  /** Resolves when both sockets have closed. */
  readonly closed: Promise<void>;
}

export interface Arrival {
  direction: FaultDirection;
  bytes: number;
}

export interface FaultProxy {
  readonly port: number;
  readonly connections: readonly ProxiedConnection[];
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts the proxy in front of 127.0.0.1:`targetPort`. `fault` is the same for every connection,
 * or a function of the connection's index (0 for the first) so a retry can get a clean link.
 */
export async function startFaultProxy(
  targetPort: number,
  fault?: Fault | ((index: number) => Fault | undefined),
): Promise<FaultProxy> {
  const connections: ProxiedConnection[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    const chosen = typeof fault === 'function' ? fault(connections.length) : fault;
    const upstream = createConnection({ port: targetPort, host: '127.0.0.1', allowHalfOpen: true });
    track(client);
    track(upstream);
    connections.push(new Link(client, upstream, chosen));
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Both directions of one client connection, and the fault that breaks it. */
class Link implements ProxiedConnection {
  readonly arrivals: Arrival[] = [];
  readonly closed: Promise<void>;
  readonly #pipes: Record<FaultDirection, Pipe>;
  #fired = false;

  constructor(
    client: Socket,
    upstream: Socket,
    readonly fault: Fault | undefined,
  ) {
    const slow = fault !== undefined && 'slow' in fault ? fault.slow : undefined;
    this.#pipes = {
      'to-server': new Pipe(client, upstream, slow !== undefined),
      'to-client': new Pipe(upstream, client, slow !== undefined),
    };
    const closing = [client, upstream].map((s) => new Promise((r) => s.once('close', r)));
    this.closed = Promise.all(closing).then(() => undefined);
    const pipes = Object.values(this.#pipes);
    const timer =
      slow === undefined
        ? undefined
        : setInterval(() => pipes.forEach((p) => p.drain(slow.bytesPerTick)), slow.tickMs ?? 5);
    for (const socket of [client, upstream]) {
      // A socket that is gone for good takes its partner with it, whatever the fault left open.
      socket.once('close', () => {
        clearInterval(timer);
        client.destroy();
        upstream.destroy();
      });
    }
    for (const direction of ['to-server', 'to-client'] as const) this.#listen(direction);
    upstream.once('connect', () => client.resume());
  }

  get fromClient(): Buffer {
    return Buffer.concat(this.#pipes['to-server'].received);
  }

  get fromServer(): Buffer {
    return Buffer.concat(this.#pipes['to-client'].received);
  }

  get forwarded(): Record<FaultDirection, number> {
    const { 'to-server': toServer, 'to-client': toClient } = this.#pipes;
    return { 'to-server': toServer.forwarded, 'to-client': toClient.forwarded };
  }

  get fired(): boolean {
    return this.#fired;
  }

  #listen(direction: FaultDirection): void {
    const pipe = this.#pipes[direction];
    pipe.source.on('data', (chunk: Buffer) => this.#onData(direction, chunk));
    pipe.source.on('end', () => {
      pipe.ended = true;
      if (!pipe.blocked) pipe.endSink();
    });
  }

  #onData(direction: FaultDirection, chunk: Buffer): void {
    const pipe = this.#pipes[direction];
    pipe.received.push(chunk);
    this.arrivals.push({ direction, bytes: chunk.length });
    if (pipe.blocked) return;
    const fault = this.fault;
    if (fault !== undefined && 'tamper' in fault && fault.tamper === direction) {
      const edited = fault.edit(chunk);
      if (!edited.equals(chunk)) this.#fired = true;
      pipe.send(edited);
      return;
    }
    const room = this.#limitFor(direction) - pipe.forwarded - pipe.queued;
    pipe.send(chunk.length <= room ? chunk : chunk.subarray(0, Math.max(0, room)));
    if (chunk.length > room) this.#fire(direction);
  }

  /** How many bytes this direction may carry before its fault fires. */
  #limitFor(direction: FaultDirection): number {
    const fault = this.fault;
    if (fault !== undefined && 'stall' in fault && fault.stall === direction) return fault.atByte;
    if (fault !== undefined && 'cut' in fault && fault.direction === direction) return fault.atByte;
    return Infinity;
  }

  #fire(direction: FaultDirection): void {
    const fault = this.fault;
    this.#fired = true;
    const pipe = this.#pipes[direction];
    pipe.blocked = true;
    if (fault !== undefined && 'stall' in fault) {
      // A dead link stops acknowledging: the sender's buffers fill and its writes wait.
      pipe.source.pause();
      return;
    }
    if (fault === undefined || !('cut' in fault)) return;
    if (fault.cut === 'half-close') {
      pipe.sink.end();
      return;
    }
    this.#pipes[direction === 'to-server' ? 'to-client' : 'to-server'].blocked = true;
    const end = (socket: Socket): void => {
      if (fault.cut === 'reset' && !socket.destroyed) socket.resetAndDestroy();
      else socket.destroy();
    };
    // Once what went before the cut is handed to the kernel, the link dies.
    const breakBoth = (): void => {
      end(pipe.sink);
      end(pipe.source);
    };
    if (pipe.sink.writableLength === 0) breakBoth();
    else pipe.sink.write(Buffer.alloc(0), breakBoth);
  }
}

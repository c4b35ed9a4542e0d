/**
 * One direction of a fault-proxy link (see fault-proxy.ts): it records every chunk that
 * arrives, passes chunks on at once or, on a slow link, queues them for `drain` to release a
 * tick at a time, and ends its sink only when nothing is left queued.
 */
import type { Socket } from 'node:net';

/** One direction of a link: what arrived from `source`, and what was passed to `sink`. */
export class Pipe {
  readonly received: Buffer[] = [];
  forwarded = 0;
  /** No more bytes go through (cut or stalled); arrivals are only recorded. */
  blocked = false;
  /** The source ended; the sink gets its end once nothing is queued. */
  ended = false;
  /** Bytes still to go out on a slow link. */
  readonly #queue: Buffer[] = [];

  constructor(
    readonly source: Socket,
    readonly sink: Socket,
    readonly slow: boolean,
  ) {}

  get queued(): number {
    return this.#queue.reduce((sum, bytes) => sum + bytes.length, 0);
  }

  /** Passes bytes on at once, or queues them on a slow link. */
  send(bytes: Buffer): void {
    if (!this.slow) this.#write(bytes);
    else if (bytes.length > 0) this.#queue.push(bytes);
  }

  /** One tick of a slow link: up to `budget` bytes. */
  drain(budget: number): void {
    let left = budget;
    while (left > 0 && this.#queue.length > 0) {
      const head = this.#queue.shift() as Buffer;
      if (head.length > left) this.#queue.unshift(head.subarray(left));
      this.#write(head.subarray(0, left));
      left -= Math.min(left, head.length);
    }
    if (this.ended) this.endSink();
  }

  endSink(): void {
    if (this.#queue.length > 0 || this.sink.destroyed || this.sink.writableEnded) return;
    this.sink.end();
  }

  #write(bytes: Buffer): void {
    this.forwarded += bytes.length;
    if (!this.sink.destroyed) this.sink.write(bytes);
  }
}

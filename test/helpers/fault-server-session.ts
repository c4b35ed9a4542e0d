/**
 * The fault server's state machine for one connection (see fault-server.ts): reads lines and
 * message content, answers each step rightly, or lets a fault (fault-server-faults.ts) answer.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { ContentReader, EnvelopeState, type SessionHooks } from './fault-server-envelope.js';
import {
  findContentFault,
  findFault,
  ok,
  replyCode,
  strikeFault,
  writeSplit,
  type Answer,
  type Fault,
  type FaultPlace,
  type FaultTarget,
} from './fault-server-faults.js';
import type { FaultConnection, FaultServerOptions } from './fault-server.js';
import { serverTlsOptions } from './tls-fixtures.js';

export class FaultSession implements FaultTarget {
  readonly record: FaultConnection;
  readonly #faults: readonly Fault[];
  readonly #accepted: Buffer[];
  readonly #counts = new Map<FaultPlace, number>();
  socket: Socket;
  #inbox: Buffer = Buffer.alloc(0);
  #mode: 'command' | 'data' = 'command';
  /** Set by a fault: lines and content are still read and recorded, but nothing is answered. */
  #silent = false;
  #busy = false;
  #secure: boolean;
  #slowReadMs = 0;
  readonly #envelope: EnvelopeState;
  /** The first bytes of the last write, to see how an AUTH exchange ended. */
  #lastCode = '';
  #content = new ContentReader();
  /** Settles when everything written so far has left: a drop must not eat earlier replies. */
  #flushed: Promise<void> = Promise.resolve();
  /** What answers the next line while an AUTH exchange waits for a response. */
  #sasl: ((line: string) => Answer) | undefined;
  readonly #onClosed: () => void;

  /** `onClosed` is told when the connection has closed, whichever socket (TLS or not) it was. */
  constructor(
    socket: Socket,
    record: FaultConnection,
    onClosed: () => void,
    options: FaultServerOptions,
    accepted: Buffer[],
  ) {
    this.socket = socket;
    this.record = record;
    this.#onClosed = onClosed;
    this.#faults = options.faults ?? [];
    this.#accepted = accepted;
    this.#secure = options.implicitTls === true;
    this.#envelope = new EnvelopeState(options);
    this.#attach(socket);
  }

  async start(): Promise<void> {
    this.#busy = true; // A client that talks before the greeting is heard after it.
    await this.#answer('greeting', '', ok('220 fault.test ESMTP ready'));
    this.#busy = false;
    void this.#pump();
  }

  #attach(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('data', this.#onData);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (socket === this.socket) this.#onClosed();
    });
  }

  readonly #onData = (chunk: Buffer): void => {
    this.record.received.push(chunk);
    this.#inbox = Buffer.concat([this.#inbox, chunk]);
    if (this.#slowReadMs > 0) {
      const socket = this.socket;
      socket.pause();
      setTimeout(() => socket.resume(), this.#slowReadMs);
    }
    void this.#pump();
  };

  /** Handles what the inbox holds, one step at a time (a step may wait: split, TLS). */
  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (;;) {
        if (this.#mode === 'data') {
          if (!(await this.#takeContent())) break;
          continue;
        }
        const end = this.#inbox.indexOf(0x0a);
        if (end === -1) break;
        const line = this.#inbox.subarray(0, end).toString('utf8').replace(/\r$/, '');
        this.#inbox = this.#inbox.subarray(end + 1);
        this.record.commands.push(line);
        if (this.#sasl !== undefined) this.record.authLines.push(line);
        if (!this.#silent) await this.#onLine(line);
      }
    } finally {
      this.#busy = false;
    }
  }

  async #onLine(line: string): Promise<void> {
    const sasl = this.#sasl;
    if (sasl !== undefined) {
      this.#sasl = undefined;
      await this.#answer('AUTH', line, sasl(line));
      return this.#envelope.authEnded(this.#lastCode);
    }
    const { place, answer } = this.#envelope.answer(line, this.#hooks);
    if (place === undefined) return this.write(answer.bytes);
    if (place === 'AUTH') this.record.authLines.push(line);
    await this.#answer(place, line, answer);
    if (place === 'AUTH') this.#envelope.authEnded(this.#lastCode);
  }

  /** What the envelope's answers need of the connection. */
  readonly #hooks: SessionHooks = {
    secure: () => this.#secure,
    upgrade: () => this.#upgrade(),
    startContent: () => this.#startContent(),
    expectSasl: (next) => this.expectSasl(next),
    end: () => void this.socket.end(),
  };

  #startContent(): void {
    this.#mode = 'data';
    this.#content = new ContentReader();
  }

  /**
   * Moves inbox bytes into the message content, striking a content fault whose byte they
   * reach; at the final dot, answers it. False when more bytes are needed.
   */
  async #takeContent(): Promise<boolean> {
    if (this.#inbox.length === 0) return false;
    const before = this.#content.length;
    const end = this.#content.push(this.#inbox);
    this.#inbox = Buffer.alloc(0);
    const fault = findContentFault(this.#faults, before, this.#content.length, this.record.index);
    if (fault !== undefined) {
      // Whatever it does, the dot (if it ever comes) gets no reply; a slow reader reads on.
      const slow = typeof fault.action === 'object' && 'slowRead' in fault.action;
      await strikeFault(this, fault.action, '', undefined);
      if (!slow) this.#silent = true;
    }
    if (end === undefined) return false;
    const { message, rest } = end;
    this.#inbox = rest;
    this.#mode = 'command';
    this.record.contents.push(message);
    if (this.#silent) return true;
    const taken = this.#envelope.dot(this.#accepted.length + 1, () => {
      this.record.accepted += 1;
      this.#accepted.push(message);
    });
    await this.#answer('dot', '.', taken);
    return true;
  }

  /** Sends the right answer to a step, or what a fault for it says instead. */
  async #answer(place: FaultPlace, line: string, right: Answer): Promise<void> {
    const occurrence = (this.#counts.get(place) ?? 0) + 1;
    this.#counts.set(place, occurrence);
    const fault = findFault(this.#faults, place, occurrence, this.record.index);
    if (fault === undefined) {
      await this.write(right.bytes);
      await right.effect?.();
      return;
    }
    await strikeFault(this, fault.action, line, right);
  }

  silence(): void {
    this.#silent = true;
  }

  end(): void {
    this.#silent = true;
    this.socket.end();
  }

  readSlowly(ms: number): void {
    this.#slowReadMs = ms;
  }

  expectSasl(next: (line: string) => Answer): void {
    this.#sasl = next;
  }

  /** Destroys the socket once earlier replies have left (TLS queues its writes). */
  async drop(): Promise<void> {
    this.#silent = true;
    const socket = this.socket;
    await this.#flushed;
    socket.destroy();
  }

  /**
   * Hands the bytes to the socket without waiting for them to leave: what follows a write (the
   * TLS upgrade after a 220) must happen before any reply from the client can be read. Split,
   * resolves after the last byte, with nothing in between either.
   */
  write(bytes: Uint8Array, split = false): Promise<void> {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return Promise.resolve();
    this.#lastCode = replyCode(bytes);
    if (split) return writeSplit(socket, bytes);
    this.#flushed = new Promise((resolve) => socket.write(bytes, () => resolve()));
    return Promise.resolve();
  }

  /** RFC 3207 4: TLS starts right after the 220; plaintext buffered behind STARTTLS is dropped. */
  #upgrade(): void {
    const plain = this.socket;
    plain.off('data', this.#onData);
    this.#inbox = Buffer.alloc(0);
    const secure = new TLSSocket(plain, { ...serverTlsOptions, isServer: true });
    this.socket = secure;
    this.#secure = true;
    this.#envelope.reset(false);
    this.#attach(secure);
  }
}

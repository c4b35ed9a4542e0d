import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  abortError,
  injectionError,
  writeTimeoutError,
  type StepContext,
} from './connection-errors.js';
import { startDeadline, type Deadline } from './deadline.js';
import { SmtpConnectionError, SmtpError, SmtpTlsError, type SmtpPhase } from './errors.js';
import { formatEndpoint, isLoopbackAddress } from './net-connect.js';
import type { Reply } from './reply.js';
import { ReplyQueue, type ReadContext, type UnreadInput } from './reply-queue.js';
import { openSocket, upgradeSocket } from './socket-open.js';
import { writeWithBackpressure } from './socket-write.js';
import type { Timeouts } from './timeouts.js';
import { readTlsInfo } from './tls-handshake.js';
import { buildTlsOptions, type TlsInfo, type TlsMode, type TlsSettings } from './tls.js';
import type { Transcript, TranscriptLine } from './transcript.js';

export type { ReadContext } from './reply-queue.js';
export type { StepContext } from './connection-errors.js';

export interface ConnectionOptions {
  host: string;
  port: number;
  tls: TlsMode;
  tlsSettings: TlsSettings;
  /** `http://[user:password@]host:port` of an HTTP CONNECT proxy to tunnel through. */
  proxy?: string | undefined;
  timeouts: Timeouts;
  transcript: Transcript;
  /** Aborting it ends the session at once with an SmtpTimeoutError, like `timeouts.total`. */
  signal?: AbortSignal | undefined;
}

const noop = (): void => undefined;

/**
 * One connection to an SMTP server: bytes out, complete replies in. It knows nothing of the
 * commands; the session drives it. Any failure (timeout, reset, malformed reply, deadline) is
 * final: the socket is destroyed, the timers cleared, and later reads reject naming their step.
 */
export class SmtpConnection {
  readonly #options: ConnectionOptions;
  readonly #endpoint: string;
  readonly #total: Deadline;
  readonly #isLoopback: boolean;
  readonly #replies: ReplyQueue;
  #socket: Socket;
  #phase: SmtpPhase = 'connect';
  #command = '';
  #tlsInfo: TlsInfo | undefined;

  private constructor(socket: Socket, options: ConnectionOptions, total: Deadline) {
    this.#options = options;
    this.#endpoint = formatEndpoint(options.host, options.port);
    this.#total = total;
    // Through a proxy the real peer is unknown: never treat it as loopback.
    this.#isLoopback = options.proxy === undefined && isLoopbackAddress(socket.remoteAddress);
    this.#socket = socket;
    if (options.tls === 'implicit') this.#tlsInfo = readTlsInfo(socket as TLSSocket);
    this.#replies = new ReplyQueue({
      onReply: (reply) => this.#record(reply),
      onFailure: () => this.#tearDown(),
      describe: () => ({ endpoint: this.#endpoint, port: options.port, mode: options.tls }),
    });
    const onAbort = (): void => {
      const reason = total.signal.reason as unknown;
      this.#replies.fail(abortError(this.#endpoint, options.timeouts.total, this.#phase, reason));
    };
    total.signal.addEventListener('abort', onAbort, { once: true });
    this.#attach(socket);
  }

  /**
   * Connects (directly or through the proxy) and, for implicit TLS, completes the handshake
   * within `timeouts.connect`. The overall deadline (`timeouts.total`, `signal`) starts here.
   */
  static async open(options: ConnectionOptions): Promise<SmtpConnection> {
    const { host, port, timeouts } = options;
    const endpoint = formatEndpoint(host, port);
    buildTlsOptions(host, options.tlsSettings); // Bad settings fail now, before any connection.
    let connection: SmtpConnection | undefined;
    const phase = (): SmtpPhase => (connection === undefined ? 'connect' : connection.#phase);
    const total = startDeadline(
      timeouts.total,
      () => abortError(endpoint, timeouts.total, phase()),
      options.signal,
    );
    try {
      const target = { ...options, connectTimeoutMs: timeouts.connect };
      connection = new SmtpConnection(await openSocket(target, total.signal), options, total);
      return connection;
    } catch (error) {
      total.dispose();
      if (error instanceof SmtpError || !total.signal.aborted) throw error;
      throw abortError(endpoint, timeouts.total, 'connect', total.signal.reason);
    }
  }

  /** The negotiated TLS protocol and cipher, once TLS is up. */
  get tlsInfo(): TlsInfo | undefined {
    return this.#tlsInfo;
  }

  get secure(): boolean {
    return this.#tlsInfo !== undefined;
  }

  /** The peer is 127.0.0.0/8 or ::1, not through a proxy: plaintext cannot leave the host. */
  get isLoopback(): boolean {
    return this.#isLoopback;
  }

  /** False once the connection failed or the server closed it: a write would send nothing. */
  get isOpen(): boolean {
    return !this.#replies.isDone;
  }

  /** What arrived that no read has taken: a whole reply, part of one, or nothing. */
  get unread(): UnreadInput {
    return this.#replies.unread;
  }

  /** The local address of the socket: what the server sees (the EHLO fallback name uses it). */
  get localAddress(): string | undefined {
    return this.#socket.localAddress;
  }

  /**
   * The next complete reply: a queued one at once, else the next to arrive within
   * `context.timeoutMs`. Replies queued before the server closed are still delivered (a 421
   * sent just before closing explains the close better than "connection closed" would).
   */
  readReply(context: ReadContext): Promise<Reply> {
    this.#phase = context.phase;
    this.#command = context.command;
    return this.#replies.read(context);
  }

  /**
   * Sends bytes (a command, a pipelined group of commands in one call, or a chunk of message
   * data) and records `transcriptLines` (never the message itself). Resolves once the socket
   * takes the bytes; when its buffer is full, waits for 'drain' up to `timeouts.dataBlock`.
   * When the server has already closed but left a reply queued, nothing is sent and the next
   * read returns that reply. `context` names the step in errors (default: the last read's).
   */
  async write(
    bytes: Uint8Array,
    transcriptLines: readonly TranscriptLine[],
    context?: StepContext,
  ): Promise<void> {
    const first = transcriptLines[0];
    const step: StepContext = {
      phase: context?.phase ?? this.#phase,
      command:
        context?.command ?? (first?.sensitive === true ? undefined : first?.text) ?? this.#command,
    };
    if (this.#replies.isDone) {
      if (this.#replies.queuedCount === 0) throw this.#replies.errorFor(step);
      this.#options.transcript.info(`[not sent (${step.command}): the server had closed]`);
      return;
    }
    // Recorded only now: a debug log must not show a line (a dot, a QUIT) that never went out.
    for (const line of transcriptLines) {
      this.#options.transcript.client(line.text, { sensitive: line.sensitive === true });
    }
    await writeWithBackpressure(this.#socket, bytes, this.#options.timeouts.dataBlock, {
      onClose: () => this.#replies.errorFor(step),
      onTimeout: () => {
        const { dataBlock } = this.#options.timeouts;
        this.#replies.fail(writeTimeoutError(this.#replies.describeState(), step, dataBlock));
        return this.#replies.errorFor(step);
      },
    });
  }

  /**
   * STARTTLS (RFC 3207): call after the server's 220. Refuses when anything follows that 220,
   * then runs the handshake with the same settings and starts over with an empty parser.
   */
  async upgradeToTls(): Promise<TlsInfo> {
    const step = { phase: 'starttls', command: 'STARTTLS' } as const;
    if (this.#tlsInfo !== undefined) {
      throw new SmtpTlsError('STARTTLS was attempted on a connection already using TLS.', step);
    }
    // CVE-2011-0411: bytes after the 220 came in plaintext but would be read as if they came
    // over TLS. Refuse before any handshake rather than discard them silently.
    if (this.#replies.hasUnreadBytes || this.#socket.readableLength > 0) {
      const error = injectionError(this.#endpoint);
      this.#replies.fail(error);
      throw error;
    }
    if (this.#replies.isDone) throw this.#replies.errorFor(step);
    const plain = this.#socket;
    this.#detach(plain);
    try {
      const target = { ...this.#options, connectTimeoutMs: this.#options.timeouts.connect };
      this.#socket = await upgradeSocket(plain, target, this.#total.signal);
    } catch (error) {
      this.#replies.fail(error);
      throw this.#replies.errorFor(step);
    }
    // RFC 3207 4.2: the client MUST discard any knowledge obtained from the server before TLS.
    this.#replies.reset();
    const info = readTlsInfo(this.#socket as TLSSocket);
    this.#tlsInfo = info;
    this.#attach(this.#socket);
    this.#options.transcript.info(`[TLS: ${info.protocol} ${info.cipher}]`);
    return info;
  }

  /** Ends the connection politely (FIN), destroying it if the server has not closed in 2 s. */
  close(): Promise<void> {
    const socket = this.#socket;
    this.#total.dispose();
    if (socket.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 2_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  /** Drops the connection at once; a pending read rejects. */
  destroy(): void {
    const message = `The client closed the connection to ${this.#endpoint}.`;
    this.#replies.fail(new SmtpConnectionError(message, { phase: this.#phase }));
  }

  #record(reply: Reply): void {
    reply.lines.forEach((text, index) => {
      const separator = index < reply.lines.length - 1 ? '-' : ' ';
      this.#options.transcript.server(`${reply.code}${separator}${text}`);
    });
  }

  #attach(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    socket.on('error', this.#onError);
    // A socket from the proxy comes paused, with the server's first bytes put back.
    socket.resume();
  }

  #detach(socket: Socket): void {
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onEnd);
    socket.off('error', this.#onError);
    socket.on('error', noop);
  }

  readonly #onData = (chunk: Buffer): void => this.#replies.push(chunk);
  readonly #onError = (error: Error): void => this.#replies.fail(error);
  readonly #onEnd = (): void => {
    if (this.#socket.destroyed) this.#total.dispose();
    this.#replies.end();
  };

  /** After the first failure: no timer may keep the process alive, no socket stay open. */
  #tearDown(): void {
    this.#total.dispose();
    this.#detach(this.#socket);
    this.#socket.destroy();
  }
}

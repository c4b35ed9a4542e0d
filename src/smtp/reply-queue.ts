import {
  closedError,
  failureError,
  readTimeoutError,
  type ConnectionState,
  type StepContext,
} from './connection-errors.js';
import { ReplyParser, type Reply } from './reply.js';

/** The step a read belongs to and how long it may wait for the reply. */
export interface ReadContext extends StepContext {
  timeoutMs: number;
}

export type UnreadInput = 'reply' | 'fragment' | 'nothing';

export interface ReplyQueueHooks {
  /** Each complete reply as it arrives, before it is queued (for the transcript). */
  onReply(reply: Reply): void;
  /** The first failure, once: the owner tears the socket down. */
  onFailure(cause: unknown): void;
  /** Facts about the connection for error messages. */
  describe(): Pick<ConnectionState, 'endpoint' | 'port' | 'mode'>;
}

const LF = 0x0a;

interface PendingRead {
  context: ReadContext;
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

/**
 * The receiving side of a connection: bytes in, complete replies out, in order. Replies that
 * arrive before anyone reads them wait in the queue (RFC 2920: a pipelined group of commands
 * gets its replies in one packet). After the server closes or the connection fails, queued
 * replies are still handed out first; only then do reads reject, naming their step.
 */
export class ReplyQueue {
  readonly #hooks: ReplyQueueHooks;
  #parser = new ReplyParser();
  #replies: Reply[] = [];
  #pending: PendingRead | undefined;
  #failure: unknown;
  #ended = false;
  #receivedBytes = 0;

  constructor(hooks: ReplyQueueHooks) {
    this.#hooks = hooks;
  }

  /** True once the server closed or the connection failed: no reply will arrive any more. */
  get isDone(): boolean {
    return this.#ended || this.#failure !== undefined;
  }

  /** Replies waiting to be read. */
  get queuedCount(): number {
    return this.#replies.length;
  }

  /** What was received that no read has consumed: a whole reply, part of one, or nothing. */
  get unread(): UnreadInput {
    if (this.#replies.length > 0) return 'reply';
    return this.#parser.hasPendingBytes ? 'fragment' : 'nothing';
  }

  /** True when any byte was received that no read has consumed: a reply or part of one. */
  get hasUnreadBytes(): boolean {
    return this.#replies.length > 0 || this.#parser.hasPendingBytes;
  }

  /**
   * Feeds bytes from the socket. A malformed reply fails the connection, but only after the
   * replies completed before it in the same chunk are queued: a 250 to the final dot followed
   * by garbage in one packet still says the message was taken, and a bad reply to RCPT after a
   * good one to MAIL is reported against RCPT. So the parser gets the chunk a line at a time.
   */
  push(chunk: Uint8Array): void {
    if (this.#failure !== undefined) return;
    this.#receivedBytes += chunk.length;
    for (let start = 0; start < chunk.length;) {
      const end = chunk.indexOf(LF, start);
      const stop = end === -1 ? chunk.length : end + 1;
      let replies: Reply[];
      try {
        replies = this.#parser.push(chunk.subarray(start, stop));
      } catch (error) {
        this.fail(error);
        return;
      }
      for (const reply of replies) {
        this.#hooks.onReply(reply);
        this.#replies.push(reply);
      }
      start = stop;
    }
    this.#deliver();
  }

  /** The server closed its side. */
  end(): void {
    this.#ended = true;
    this.#deliver();
  }

  /** Records the first failure (later ones are consequences) and tells a pending read. */
  fail(cause: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = cause;
    this.#hooks.onFailure(cause);
    this.#deliver();
  }

  /** RFC 3207 4.2: after STARTTLS nothing from before the handshake may be used. */
  reset(): void {
    this.#parser = new ReplyParser();
    this.#replies = [];
    this.#receivedBytes = 0;
  }

  /** The next reply, queued or within `context.timeoutMs`; a timeout fails the connection. */
  read(context: ReadContext): Promise<Reply> {
    const queued = this.#replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.isDone) return Promise.reject(this.errorFor(context));
    if (this.#pending !== undefined) {
      return Promise.reject(new Error('readReply was called while another read was pending'));
    }
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending = undefined;
        const error = readTimeoutError(this.describeState(), context);
        this.fail(error);
        reject(error);
      }, context.timeoutMs);
      this.#pending = {
        context,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  /** Why nothing more can be read, as an error for `context`'s step. */
  errorFor(context: StepContext): Error {
    const state = this.describeState();
    if (this.#failure !== undefined) return failureError(state, context, this.#failure);
    return closedError(state, 'the server', context);
  }

  #deliver(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    const reply = this.#replies.shift();
    if (reply === undefined && !this.isDone) return;
    this.#pending = undefined;
    if (reply === undefined) pending.reject(this.errorFor(pending.context));
    else pending.resolve(reply);
  }

  /** The connection facts plus what this queue saw, for error messages. */
  describeState(): ConnectionState {
    return {
      ...this.#hooks.describe(),
      receivedBytes: this.#receivedBytes,
      midReply: this.#parser.hasPendingBytes,
    };
  }
}

/**
 * The faults `startFaultServer` can play (see fault-server.ts): where each strikes and what the
 * server does there instead of behaving. Kept apart from the state machine so that a test file
 * reads the menu without the machinery.
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A step of the session where a fault can strike: the server's reply to it is what changes. */
export type FaultPlace =
  | 'greeting'
  | 'EHLO'
  | 'STARTTLS'
  /** The AUTH command and every SASL response after it: `nth` counts them all, 1 being AUTH. */
  | 'AUTH'
  | 'MAIL'
  | 'RCPT'
  | 'DATA'
  /** The final dot: the reply that says whether the message was taken. */
  | 'dot'
  | 'QUIT'
  /** Message content: strikes once, when the bytes received after 354 reach `byte`. */
  | 'content';

export type FaultAction =
  /** These lines (CRLF added) instead of the right reply; then close, if asked. */
  | { reply: readonly string[]; then?: 'end' | 'drop' }
  /** These bytes exactly, instead of the right reply: bare CR, no line end, anything. */
  | { raw: string | Uint8Array; then?: 'end' | 'drop' }
  /** Destroy the socket at once. */
  | 'drop'
  /** Close gracefully (FIN) without a reply. */
  | 'end'
  /** Answer nothing from here on, but keep reading and recording. */
  | 'silent'
  /** The right reply, one byte per write, a little apart. */
  | 'split'
  /** A reply that never ends: `250-` lines forever (`lines`), or one line with no LF (`line`). */
  | { endless: 'lines' | 'line' }
  /** A reply with this code whose text quotes the line the client just sent. */
  | { echo: number }
  /** STARTTLS only: the 220, then these bytes in the same packet, before any handshake. */
  | { inject: string }
  /** AUTH only: a valid 334 challenge (base64 of `text`) to every line, until `*`. */
  | { challengeForever: string }
  /** AUTH only: a 334 whose text is not base64, to every line, until `*`. */
  | 'badBase64'
  /** Pause reading for `slowRead` ms after each chunk from here on; the reply is unchanged. */
  | { slowRead: number };

export interface Fault {
  at: FaultPlace;
  /** The occurrence on a connection, from 1 (the 2nd RCPT, the 2nd EHLO); default: every one. */
  nth?: number;
  /** For `content`: the byte count (after 354) at which it strikes. */
  byte?: number;
  /** The connection, from 0 (e.g. only the first attempt of a retried delivery); default: all. */
  connection?: number;
  action: FaultAction;
}

/** The fault for this occurrence of `place` on connection `index`, if any. */
export function findFault(
  faults: readonly Fault[],
  place: FaultPlace,
  occurrence: number,
  index: number,
): Fault | undefined {
  return faults.find(
    (fault) =>
      fault.at === place &&
      fault.at !== 'content' &&
      (fault.nth === undefined || fault.nth === occurrence) &&
      (fault.connection === undefined || fault.connection === index),
  );
}

/** The content fault that `before` → `after` bytes crossed on connection `index`, if any. */
export function findContentFault(
  faults: readonly Fault[],
  before: number,
  after: number,
  index: number,
): Fault | undefined {
  return faults.find(
    (fault) =>
      fault.at === 'content' &&
      before <= (fault.byte ?? 0) &&
      (fault.byte ?? 0) < after &&
      (fault.connection === undefined || fault.connection === index),
  );
}

/** A step's right reply and what it does once sent: the state machine's unit of work. */
export interface Answer {
  bytes: Buffer;
  effect?: () => void | Promise<void>;
}

/** The reply `text` (CRLF added) and, once it is sent, `effect`. */
export function ok(text: string, effect?: () => void | Promise<void>): Answer {
  return { bytes: Buffer.from(`${text}\r\n`), ...(effect === undefined ? {} : { effect }) };
}

/** What a fault may do to the session it strikes. */
export interface FaultTarget {
  readonly socket: Socket;
  /** Sends bytes (one byte per write when `split`); resolves once they are handed over. */
  write(bytes: Uint8Array, split?: boolean): Promise<void>;
  /** Answers nothing from now on, but keeps reading and recording. */
  silence(): void;
  /** Closes gracefully (FIN), then stays silent. */
  end(): void;
  /** Destroys the socket once the replies already written have left. */
  drop(): Promise<void>;
  /** Pauses reading for `ms` after each chunk from now on. */
  readSlowly(ms: number): void;
  /** What answers the next line, as a SASL response of the AUTH exchange. */
  expectSasl(next: (line: string) => Answer): void;
}

/** The code a reply starts with, to compare a fault's reply with the right one. */
export function replyCode(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 3)).toString('latin1');
}

/**
 * Plays `action` instead of the right answer to `line`. The right answer's effect (a sender
 * noted, TLS started, the message taken) happens only if the fault's reply has the same code.
 */
export async function strikeFault(
  target: FaultTarget,
  action: FaultAction,
  line: string,
  right: Answer | undefined,
): Promise<void> {
  if (typeof action === 'string') return strikeNamed(target, action, line, right);
  if ('reply' in action || 'raw' in action) {
    const bytes =
      'reply' in action
        ? Buffer.from(action.reply.map((text) => `${text}\r\n`).join(''))
        : Buffer.from(action.raw);
    await target.write(bytes);
    if (right !== undefined && replyCode(bytes) === replyCode(right.bytes)) await right.effect?.();
    if (action.then === 'end') target.end();
    if (action.then === 'drop') await target.drop();
  } else if ('endless' in action) {
    target.silence();
    void writeEndless(target.socket, action.endless);
  } else if ('echo' in action) {
    const { echo } = action;
    await target.write(Buffer.from(`${echo} ${Math.floor(echo / 100)}.7.0 Rejected: ${line}\r\n`));
  } else if ('inject' in action) {
    await target.write(
      Buffer.concat([right?.bytes ?? Buffer.alloc(0), Buffer.from(action.inject)]),
    );
    await right?.effect?.();
  } else if ('slowRead' in action) {
    target.readSlowly(action.slowRead);
    if (right !== undefined) await target.write(right.bytes);
    await right?.effect?.();
  } else {
    await challengeForever(
      target,
      `334 ${Buffer.from(action.challengeForever).toString('base64')}`,
      line,
    );
  }
}

async function strikeNamed(
  target: FaultTarget,
  action: Extract<FaultAction, string>,
  line: string,
  right: Answer | undefined,
): Promise<void> {
  switch (action) {
    case 'drop':
      return target.drop();
    case 'end':
      return target.end();
    case 'silent':
      return target.silence();
    case 'split':
      if (right !== undefined) await target.write(right.bytes, true);
      return right?.effect?.();
    case 'badBase64':
      return challengeForever(target, '334 this is not base64!', line);
  }
}

/** `challenge` to the AUTH line and to every response after it, until the client sends `*`. */
async function challengeForever(target: FaultTarget, challenge: string, line: string) {
  const again = (next: string): Answer =>
    next === '*'
      ? ok('501 5.7.0 Authentication cancelled')
      : ok(challenge, () => target.expectSasl(again));
  const answer = again(line);
  await target.write(answer.bytes);
  await answer.effect?.();
}

/** Writes `bytes` one at a time, 1 ms apart, so that each arrives as a read of its own. */
export async function writeSplit(socket: Socket, bytes: Uint8Array): Promise<void> {
  for (const [index, byte] of bytes.entries()) {
    // No pause after the last byte: what follows the reply (TLS after a 220) must come first.
    if (index > 0) await sleep(1);
    if (socket.destroyed) return;
    socket.write(Uint8Array.of(byte));
  }
}

/**
 * Writes a reply that never ends until the client goes away (or 64 MiB, a bound for a client
 * that never stops reading): continuation lines, or one line without its LF.
 */
async function writeEndless(socket: Socket, shape: 'lines' | 'line'): Promise<void> {
  const piece = Buffer.from(shape === 'lines' ? `250-${'x'.repeat(60)}\r\n` : 'x'.repeat(64));
  const chunk = Buffer.concat(Array.from({ length: 256 }, () => piece));
  if (shape === 'line') socket.write('250 ');
  for (let sent = 0; sent < 64 * 1024 * 1024 && !socket.destroyed; sent += chunk.length) {
    if (!socket.write(chunk)) {
      await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    }
  }
}

/**
 * A scripted SMTP-ish TCP server for fault tests: things a real server (smtp-server) will not do,
 * like splitting a greeting over many packets, sending bytes after a 220 to STARTTLS, never
 * greeting, or dropping the connection mid-reply. Listens on 127.0.0.1, port 0.
 *
 * Each accepted connection runs a script, a list of steps run in order:
 *
 *     const server = await startScriptedServer([
 *       { send: '220 ready\r\n' },
 *       { expect: /^EHLO / },
 *       { send: '250-hi\r\n250 STARTTLS\r\n' },
 *       { expect: 'STARTTLS' },
 *       { send: '220 go ahead\r\n' },
 *       { startTls: {} },
 *       { expect: /^EHLO / },
 *     ]);
 *     // ... connect to server.port ...
 *     const conn = await server.nextConnection();
 *     await conn.done;           // the script finished (or failed: see conn.failures)
 *     conn.lines;                // every line received, in order, TLS or not
 *
 * A step that goes wrong (a line that does not match, the client closing early) is recorded in
 * `failures` and ends the script; the socket is then destroyed so the client sees it. After the
 * last step the server keeps reading (and recording) until the client closes.
 */
import { once } from 'node:events';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket, type TlsOptions } from 'node:tls';
import { listenOnLoopback } from './loopback.js';
import { serverTlsOptions } from './tls-fixtures.js';

export type ScriptStep =
  /** Write these bytes in one write call (one packet on loopback). */
  | { send: string | Uint8Array }
  /** Write each piece separately, `gapMs` apart (default 10), so they arrive as separate reads. */
  | { sendPieces: readonly (string | Uint8Array)[]; gapMs?: number }
  /** Read one line (up to LF, line ending stripped) and check it; a mismatch fails the script. */
  | { expect: string | RegExp }
  /** Take everything the next read brought (waiting for it if nothing is buffered) as one capture. */
  | { capture: true }
  | { delay: number }
  /** Start TLS as the server on this connection (STARTTLS); plaintext still buffered is dropped. */
  | { startTls: TlsOptions }
  /** Close our side gracefully (FIN); the client sees the end of the stream. */
  | { end: true }
  /** Destroy the socket at once. */
  | { drop: true };

export type Script = readonly ScriptStep[];

export interface ScriptedConnection {
  /** Every byte received, decrypted after TLS started, in order. */
  readonly received: Buffer[];
  /** Every complete line received, without line endings. */
  readonly lines: string[];
  /** What each `capture` step took. */
  readonly captures: string[];
  /** What went wrong in the script, in words; empty when every step went as written. */
  readonly failures: string[];
  /** Resolves when the script has run (or failed). */
  readonly done: Promise<void>;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  /** Everything received, as latin1 text. */
  text(): string;
}

export interface ScriptedServer {
  readonly port: number;
  readonly connections: readonly ScriptedConnection[];
  /** The next connection to be accepted (or the first not yet returned by this method). */
  nextConnection(): Promise<ScriptedConnection>;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  /** Speak TLS from the first byte (implicit TLS) with these options over `serverTlsOptions`. */
  implicitTls?: TlsOptions;
}

/**
 * Starts the server. `script` is the same for every connection, or a function of the
 * connection's index (0 for the first) for tests that reconnect.
 */
export async function startScriptedServer(
  script: Script | ((index: number) => Script),
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const connections: ScriptedConnection[] = [];
  const sockets = new Set<Socket>();
  const waiters: ((connection: ScriptedConnection) => void)[] = [];
  let handedOut = 0;
  const onSocket = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const steps = typeof script === 'function' ? script(connections.length) : script;
    const connection = runScript(socket, steps);
    connections.push(connection);
    waiters.shift()?.(connection);
  };
  const server: Server =
    options.implicitTls === undefined
      ? createTcpServer(onSocket)
      : createTlsServer({ ...serverTlsOptions, ...options.implicitTls }, onSocket);
  // A client failing the handshake is an expected outcome in TLS tests, not a crash.
  server.on('tlsClientError', () => undefined);
  const port = await listenOnLoopback(server);
  return {
    port,
    connections,
    nextConnection: () => {
      const ready = connections[handedOut];
      handedOut += 1;
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise((resolve) => waiters.push(resolve));
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The reading side of a connection: a byte buffer that steps take lines or captures from. */
class Inbox {
  buffer = Buffer.alloc(0);
  ended = false;
  #wake: (() => void) | undefined;

  add(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.#notify();
  }

  end(): void {
    this.ended = true;
    this.#notify();
  }

  /** Resolves when more bytes came or the stream ended. */
  changed(): Promise<void> {
    return new Promise((resolve) => (this.#wake = resolve));
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

function runScript(socket: Socket, steps: Script): ScriptedConnection {
  const received: Buffer[] = [];
  const lines: string[] = [];
  const inbox = new Inbox();
  let partialLine = '';
  const onData = (chunk: Buffer): void => {
    received.push(chunk);
    partialLine += chunk.toString('latin1');
    const parts = partialLine.split('\n');
    partialLine = parts.pop() ?? '';
    lines.push(...parts.map((line) => line.replace(/\r$/, '')));
    inbox.add(chunk);
  };
  const listen = (s: Socket): void => {
    s.on('data', onData);
    s.on('end', () => inbox.end());
    s.on('close', () => inbox.end());
    s.on('error', () => inbox.end());
  };
  listen(socket);
  const state: StepState = {
    socket,
    inbox,
    captures: [],
    failures: [],
    listen,
    detach: () => socket.off('data', onData),
  };
  return {
    received,
    lines,
    captures: state.captures,
    failures: state.failures,
    closed: once(socket, 'close').then(() => undefined),
    done: runSteps(steps, state),
    text: () => Buffer.concat(received).toString('latin1'),
  };
}

interface StepState {
  socket: Socket;
  inbox: Inbox;
  captures: string[];
  failures: string[];
  listen: (socket: Socket) => void;
  detach: () => void;
}

async function runSteps(steps: Script, state: StepState): Promise<void> {
  for (const [index, step] of steps.entries()) {
    try {
      await runStep(step, state);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      state.failures.push(`step ${index} (${JSON.stringify(step)}): ${reason}`);
      state.socket.destroy();
      return;
    }
  }
}

async function runStep(step: ScriptStep, state: StepState): Promise<void> {
  if ('send' in step) {
    state.socket.write(step.send);
  } else if ('sendPieces' in step) {
    for (const piece of step.sendPieces) {
      state.socket.write(piece);
      await sleep(step.gapMs ?? 10);
    }
  } else if ('expect' in step) {
    const line = await takeLine(state.inbox);
    const ok = typeof step.expect === 'string' ? line === step.expect : step.expect.test(line);
    if (!ok) throw new Error(`expected ${String(step.expect)}, got ${JSON.stringify(line)}`);
  } else if ('capture' in step) {
    while (state.inbox.buffer.length === 0 && !state.inbox.ended) await state.inbox.changed();
    state.captures.push(state.inbox.buffer.toString('latin1'));
    state.inbox.buffer = Buffer.alloc(0);
  } else if ('delay' in step) {
    await sleep(step.delay);
  } else if ('startTls' in step) {
    await startServerTls(step.startTls, state);
  } else if ('end' in step) {
    state.socket.end();
  } else {
    state.socket.destroy();
  }
}

async function takeLine(inbox: Inbox): Promise<string> {
  for (;;) {
    const end = inbox.buffer.indexOf(0x0a);
    if (end !== -1) {
      const line = inbox.buffer.subarray(0, end).toString('latin1').replace(/\r$/, '');
      inbox.buffer = inbox.buffer.subarray(end + 1);
      return line;
    }
    if (inbox.ended) throw new Error('the client closed the connection');
    await inbox.changed();
  }
}

async function startServerTls(options: TlsOptions, state: StepState): Promise<void> {
  state.detach();
  state.inbox.buffer = Buffer.alloc(0);
  const secure = new TLSSocket(state.socket, {
    ...serverTlsOptions,
    ...options,
    isServer: true,
  });
  state.socket = secure;
  state.listen(secure);
  await once(secure, 'secure'); // Rejects with the error when the handshake fails.
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

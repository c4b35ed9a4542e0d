import {
  authenticate,
  chooseMechanism,
  createMechanism,
  secretFormsOf,
  type AuthMechanismName,
} from './auth/index.js';
import {
  HELO_CAPABILITIES,
  capabilitiesFromHelo,
  parseEhlo,
  type Capabilities,
} from './capabilities.js';
import {
  authenticateLeading,
  canLeadGroup,
  createAuthChannel,
  isAuthRefusal,
  type AuthIo,
  type DeferredAuth,
} from './auth-channel.js';
import { ehloCommand, heloCommand, quitCommand, startTlsCommand } from './commands.js';
import { SmtpConnection } from './connection.js';
import { defaultEhloName } from './ehlo-name.js';
import { SmtpAuthError, SmtpTlsError, expectReply, type SmtpPhase } from './errors.js';
import type { CheckedConnection } from './options.js';
import type { Reply } from './reply.js';
import type { TlsInfo } from './tls.js';
import type { Transcript } from './transcript.js';

/** One command on the wire: its bytes, and how it appears in the transcript and in errors. */
export interface Command {
  bytes: Uint8Array;
  line: string;
}

export interface SessionSettings {
  /**
   * Let a one-round-trip AUTH wait for the first envelope group and lead it (`writeGroup`)
   * instead of taking a round trip of its own. Only for a session that goes on to send.
   */
  pipelineAuth?: boolean;
}

/**
 * An open, greeted, (when asked) encrypted and authenticated SMTP session: everything before
 * the mail transaction. It holds what the server offered in its last EHLO reply.
 */
export class SmtpSession {
  readonly #connection: SmtpConnection;
  readonly #options: CheckedConnection;
  #capabilities: Capabilities = HELO_CAPABILITIES;
  #authMechanism: AuthMechanismName | undefined;
  readonly #pipelineAuth: boolean;
  #deferredAuth: DeferredAuth | undefined;
  /** QUIT went out with the final dot (RFC 2920 3.1); only its reply is still owed. */
  #quitSent = false;

  private constructor(
    connection: SmtpConnection,
    options: CheckedConnection,
    settings: SessionSettings,
  ) {
    this.#connection = connection;
    this.#options = options;
    this.#pipelineAuth = settings.pipelineAuth === true;
  }

  /**
   * Connects, waits for the greeting, says EHLO, upgrades with STARTTLS and authenticates (with
   * `pipelineAuth`, a PLAIN AUTH may instead be readied to lead the first envelope group).
   */
  static async open(
    options: CheckedConnection,
    transcript: Transcript,
    settings: SessionSettings = {},
  ): Promise<SmtpSession> {
    const connection = await SmtpConnection.open({ ...options, transcript });
    const session = new SmtpSession(connection, options, settings);
    try {
      await session.#establish(transcript);
      return session;
    } catch (error) {
      // RFC 5321 4.1.1.10: after a refused AUTH the session is still in step, so it ends with
      // QUIT. `quit` never throws and is bounded by the command timeout: the AUTH error stays
      // the one reported. After anything else the connection is dropped.
      if (isAuthRefusal(error)) await session.quit();
      else connection.destroy();
      throw error;
    }
  }

  get capabilities(): Capabilities {
    return this.#capabilities;
  }

  get tlsInfo(): TlsInfo | undefined {
    return this.#connection.tlsInfo;
  }

  get authMechanism(): AuthMechanismName | undefined {
    return this.#authMechanism;
  }

  get connection(): SmtpConnection {
    return this.#connection;
  }

  get timeouts(): CheckedConnection['timeouts'] {
    return this.#options.timeouts;
  }

  /** Sends one command and returns its reply, unchecked: the caller compares it. */
  async command(command: Command, phase: SmtpPhase, timeoutMs?: number): Promise<Reply> {
    await this.#connection.write(command.bytes, [{ text: command.line }], {
      phase,
      command: command.line,
    });
    return this.read(phase, command.line, timeoutMs);
  }

  /** Reads the next reply, for a command already sent (pipelining reads after one write). */
  read(phase: SmtpPhase, command: string, timeoutMs?: number): Promise<Reply> {
    const wait = timeoutMs ?? this.#options.timeouts.command;
    return this.#connection.readReply({ phase, command, timeoutMs: wait });
  }

  /**
   * Writes a pipelined group of commands (their replies are the caller's to read). An AUTH that
   * `#authenticate` readied leads it in the same write (RFC 4954 4); its reply is checked here,
   * and a refusal throws once the group's replies are out of the way.
   */
  async writeGroup(group: readonly Command[], phase: SmtpPhase): Promise<void> {
    const bytes = Buffer.concat(group.map((command) => command.bytes));
    const lines = group.map((command) => ({ text: command.line }));
    const auth = this.#deferredAuth;
    this.#deferredAuth = undefined;
    if (auth !== undefined) {
      await authenticateLeading(this.#authIo(), auth, { bytes, lines });
      this.#authMechanism = auth.name;
      return;
    }
    await this.#connection.write(bytes, lines, { phase, command: group[0]?.line ?? '' });
  }

  #authIo(): AuthIo {
    return {
      connection: this.#connection,
      read: (phase, command) => this.read(phase, command),
      destroy: () => this.destroy(),
    };
  }

  /** Records that QUIT was written with the final dot, so `quit` must not send it again. */
  noteQuitSent(): void {
    this.#quitSent = true;
  }

  /**
   * Ends the session politely (RFC 5321 4.1.1.10), reading the reply to a QUIT already sent
   * with the dot rather than sending another. A failure here cannot undo what the server
   * already accepted, so it is returned as a warning instead of thrown.
   */
  async quit(): Promise<string | undefined> {
    try {
      const reply = this.#quitSent
        ? await this.read('quit', 'QUIT')
        : await this.command(commandOf(quitCommand(), 'QUIT'), 'quit');
      expectReply(reply, '2', { phase: 'quit', command: 'QUIT' });
      await this.#connection.close();
      return undefined;
    } catch (error) {
      this.#connection.destroy();
      return `QUIT did not complete cleanly: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  destroy(): void {
    this.#connection.destroy();
  }

  async #establish(transcript: Transcript): Promise<void> {
    // RFC 5321 3.1: the client waits for the 220 greeting before sending anything.
    const greeting = await this.read('greeting', 'the greeting', this.#options.timeouts.greeting);
    expectReply(greeting, 220, { phase: 'greeting', command: 'the greeting (connection opened)' });
    const { tls, auth } = this.#options;
    await this.#hello(tls === 'starttls' || auth !== undefined);
    if (tls === 'starttls') await this.#startTls();
    if (auth !== undefined) await this.#authenticate(transcript);
  }

  /**
   * EHLO, falling back to HELO only when the server does not know EHLO (500/502, RFC 5321
   * 4.1.4) and only when nothing the user asked for needs an extension: a HELO session has
   * neither STARTTLS nor AUTH, and falling back would silently drop them.
   */
  async #hello(extensionsRequired: boolean): Promise<void> {
    const name = this.#options.ehloName ?? defaultEhloName(this.#connection.localAddress);
    const reply = await this.command(commandOf(ehloCommand(name), `EHLO ${name}`), 'ehlo');
    if ((reply.code === 500 || reply.code === 502) && !extensionsRequired) {
      const helo = await this.command(commandOf(heloCommand(name), `HELO ${name}`), 'ehlo');
      this.#capabilities = capabilitiesFromHelo(
        expectReply(helo, 250, { phase: 'ehlo', command: 'HELO' }),
      );
      return;
    }
    this.#capabilities = parseEhlo(expectReply(reply, 250, { phase: 'ehlo', command: 'EHLO' }));
  }

  /** RFC 3207: required STARTTLS fails closed: not offered, refused or failed all stop here. */
  async #startTls(): Promise<void> {
    if (!this.#capabilities.startTls) {
      throw new SmtpTlsError(
        `The server does not offer STARTTLS, and tls 'starttls' requires it. If the port expects TLS from the first byte (usually 465), use tls 'implicit'; never send credentials without TLS.`,
        { phase: 'starttls', command: 'EHLO' },
      );
    }
    const reply = await this.command(commandOf(startTlsCommand(), 'STARTTLS'), 'starttls');
    expectReply(reply, 220, { phase: 'starttls', command: 'STARTTLS', errorType: SmtpTlsError });
    await this.#connection.upgradeToTls();
    // RFC 3207 4.2: discard everything learned before TLS, then EHLO again.
    this.#capabilities = HELO_CAPABILITIES;
    await this.#hello(true);
  }

  /** RFC 4954: credentials given but no AUTH offered is an error, never an anonymous send. */
  async #authenticate(transcript: Transcript): Promise<void> {
    const auth = this.#options.auth;
    if (auth === undefined) return;
    if (this.#capabilities.auth.length === 0) {
      throw new SmtpAuthError(
        'Credentials were given but the server offers no AUTH mechanism, so nothing was sent. Check the port (submission is usually 587 or 465) or remove the credentials.',
        { phase: 'auth', command: 'EHLO' },
      );
    }
    // RFC 4954 4 and 14: never expose credentials on a path anyone can read. The check before
    // connecting knows the host; this one knows where the socket really goes (a proxy).
    const connection = this.#connection;
    if (!connection.secure && !connection.isLoopback && !this.#options.allowAuthWithoutTls) {
      throw new SmtpAuthError(
        'Refusing to authenticate over a connection without TLS; use tls starttls or implicit.',
        { phase: 'auth', command: 'AUTH' },
      );
    }
    const name = chooseMechanism(this.#capabilities.auth, auth.mechanism ?? 'auto');
    const credentials = { username: auth.username, password: auth.password };
    const secrets = secretFormsOf(credentials);
    for (const secret of secrets) transcript.addSecret(secret);
    const mechanism = createMechanism(name, credentials);
    if (this.#pipelineAuth && canLeadGroup(name, mechanism, this.#capabilities.pipelining)) {
      // Saves the round trip AUTH would take alone: it leads the first envelope group.
      this.#deferredAuth = { name, mechanism, secrets };
      return;
    }
    await authenticate(createAuthChannel(this.#authIo()), mechanism, { secrets });
    this.#authMechanism = name;
  }
}

export function commandOf(bytes: Uint8Array, line: string): Command {
  return { bytes, line };
}

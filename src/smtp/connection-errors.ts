import {
  SmtpConnectionError,
  SmtpError,
  SmtpProtocolError,
  SmtpTimeoutError,
  type SmtpPhase,
} from './errors.js';
import { ReplyFormatError } from './reply.js';
import { portModeAdvice, type TlsMode } from './tls.js';

/** The step a read or write belongs to, for error messages. */
export interface StepContext {
  phase: SmtpPhase;
  /** The command as sent, redacted; empty for the greeting. */
  command: string;
}

/** What the connection knew when it failed, for messages that say what to check. */
export interface ConnectionState {
  endpoint: string;
  port: number;
  mode: TlsMode;
  /** Bytes received since connect (or since TLS started). */
  receivedBytes: number;
  /** True when the server stopped in the middle of a reply. */
  midReply: boolean;
}

/** `250 ms`, `30 s`, `5 min`: timeouts in the unit a person would say. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return `${Math.round(ms / 100) / 10} s`;
  return `${ms / 60_000} min`;
}

function describeStep(context: StepContext): string {
  return context.command === ''
    ? `during ${context.phase}`
    : `during ${context.phase} (${context.command})`;
}

/**
 * A server that never greets may be waiting for a TLS ClientHello: the port expects implicit
 * TLS and the client was told to speak plaintext first.
 */
function greetingHint(state: ConnectionState, context: StepContext): string {
  if (context.phase !== 'greeting' || state.mode === 'implicit' || state.receivedBytes > 0) {
    return '';
  }
  return ` ${portModeAdvice(state)}`;
}

/** No reply in time: transient, since the server may only be overloaded. */
export function readTimeoutError(
  state: ConnectionState,
  context: StepContext & { timeoutMs: number },
): SmtpTimeoutError {
  const waited = formatDuration(context.timeoutMs);
  const message =
    context.phase === 'greeting'
      ? `The server at ${state.endpoint} sent no greeting within ${waited}.`
      : `The server at ${state.endpoint} did not answer ${context.command || context.phase} within ${waited}.`;
  return new SmtpTimeoutError(message + greetingHint(state, context), {
    phase: context.phase,
    command: context.command || undefined,
    transient: true,
  });
}

/** The socket's buffer stayed full: the server stopped taking data. */
export function writeTimeoutError(
  state: ConnectionState,
  context: StepContext,
  timeoutMs: number,
): SmtpTimeoutError {
  return new SmtpTimeoutError(
    `The server at ${state.endpoint} took no data for ${formatDuration(timeoutMs)} ${describeStep(context)}.`,
    { phase: context.phase, command: context.command || undefined, transient: true },
  );
}

/** The connection ended without a failure of ours: the server (or the client) closed it. */
export function closedError(
  state: ConnectionState,
  who: string,
  context: StepContext,
): SmtpConnectionError {
  const middle = state.midReply ? ' in the middle of a reply' : '';
  return new SmtpConnectionError(
    `${capitalize(who)} at ${state.endpoint} closed the connection${middle} ${describeStep(context)}.` +
      greetingHint(state, context),
    { phase: context.phase, command: context.command || undefined, transient: true },
  );
}

/**
 * The error a read or write reports for a connection that failed earlier: our own errors as
 * they are, a malformed reply re-raised with the step it broke, a socket error as a transient
 * connection error.
 */
export function failureError(
  state: ConnectionState,
  context: StepContext,
  failure: unknown,
): SmtpError {
  const command = context.command || undefined;
  if (failure instanceof ReplyFormatError) {
    // During AUTH the bad bytes may be our SASL data echoed back, cut off where no redaction
    // can recognise it: name the fault without quoting the server, and keep no cause.
    if (context.phase === 'auth') {
      return new SmtpProtocolError(
        `The server at ${state.endpoint} sent a malformed reply ${describeStep(context)}; its text is not shown because it may echo the credentials.`,
        { phase: context.phase, command },
      );
    }
    return new SmtpProtocolError(
      `${failure.message} (from ${state.endpoint} ${describeStep(context)}).`,
      { phase: context.phase, command, cause: failure },
    );
  }
  if (failure instanceof SmtpError) return failure;
  const detail = failure instanceof Error ? failure.message : String(failure);
  return new SmtpConnectionError(
    `The connection to ${state.endpoint} failed ${describeStep(context)}: ${detail}.`,
    { phase: context.phase, command, transient: true, cause: failure },
  );
}

/**
 * What the overall deadline or the caller's signal aborts with. Our own errors pass through; any
 * other abort reason becomes a timeout error that keeps it as the cause. Without a reason, the
 * total timeout ran out.
 */
export function abortError(
  endpoint: string,
  totalMs: number,
  phase: SmtpPhase,
  reason?: unknown,
): SmtpError {
  if (reason instanceof SmtpError) return reason;
  const message =
    reason === undefined
      ? `The SMTP session with ${endpoint} did not finish within ${formatDuration(totalMs)} (stopped during ${phase}).`
      : `The SMTP session with ${endpoint} was aborted during ${phase}.`;
  return new SmtpTimeoutError(message, { phase, transient: true, cause: reason });
}

/** CVE-2011-0411: bytes after the 220 to STARTTLS; see `SmtpConnection.upgradeToTls`. */
export function injectionError(endpoint: string): SmtpProtocolError {
  return new SmtpProtocolError(
    `The server at ${endpoint} sent data after its 220 reply to STARTTLS, before TLS started. ` +
      'Refusing to start TLS: this is how STARTTLS response injection works (CVE-2011-0411), ' +
      'so something on the path may be tampering with the connection.',
    { phase: 'starttls', command: 'STARTTLS' },
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

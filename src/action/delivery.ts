import {
  SmtpError,
  SmtpInputError,
  SmtpRecipientsError,
  formatReply,
  sendMail,
  type RecipientReply,
  type Reply,
  type ServerOptions,
  type TlsInfo,
  type TranscriptEntry,
} from '../smtp/index.js';
import { computeBackoff, formatSeconds, sleep } from './backoff.js';
import { findOverallDeadline, startOverallDeadline } from './delivery-deadline.js';
import { DeliveryProgress, type AttemptVerdict } from './delivery-progress.js';
import { escapeUntrustedInline } from './safe-log.js';

/**
 * `sent`: every recipient accepted. `partial`: some accepted, others refused, or a failure after
 * an earlier transaction delivered. `unknown`: the connection broke after a final dot, so the
 * server may have the message (for those recipients; `accepted` lists any confirmed before).
 * `failed`: nothing was delivered.
 */
export type DeliveryResult = 'sent' | 'partial' | 'unknown' | 'failed';

export interface DeliveryReport {
  result: DeliveryResult;
  /** Connections made. */
  attempts: number;
  /** Final, after 4xx-refused recipients were retried. */
  accepted: RecipientReply[];
  rejected: RecipientReply[];
  /** The server's reply to the final dot of the last successful transaction. */
  response: Reply | undefined;
  tls: TlsInfo | undefined;
  authMechanism: string | undefined;
  /** Every attempt's redacted conversation, with an info line between attempts. */
  transcript: TranscriptEntry[];
  warnings: string[];
  durationMs: number;
  /** The failure that ended delivery, when result is failed or unknown or the end was an error. */
  error: SmtpError | undefined;
}

export interface DeliveryRequest {
  server: ServerOptions;
  envelope: { from: string; to: string[]; smtpUtf8: boolean };
  /** The same bytes go out on every attempt, so every copy has the same Message-ID. */
  message: Uint8Array;
  /** Attempts after the first, when a failure leaves the message undelivered everywhere. */
  retries: number;
  /** Overall time budget for every attempt and wait together, in milliseconds. */
  deadlineMs: number;
  /** Called before each wait, e.g. to log `Attempt 1 failed (...); retrying in 3.2 s`. */
  onRetry?: (error: SmtpError, attempt: number, delayMs: number) => void;
  /** Injectable for tests; default waits for real and ends early when the deadline passes. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable for tests; a number in [0, 1) for the backoff jitter. */
  random?: () => number;
  /** Injectable for tests; milliseconds, for the deadline arithmetic. Default `Date.now`. */
  now?: () => number;
}

/**
 * Said when the connection broke after the final dot (RFC 5321 4.5.3.2.6): only the server's
 * reply would have told, and it never came.
 */
export const unknownOutcomeNote =
  'The message may or may not have been delivered: the connection ended after the whole ' +
  'message was sent and before the server confirmed it. It was not retried, to avoid ' +
  'delivering a duplicate.';

/** An attempt with less time than this left would only time out: give up instead. */
const minAttemptMs = 2_000;

/** One delivery: attempts, with backoff, until sent, refused for good, or out of time/tries. */
export async function deliverWithRetries(request: DeliveryRequest): Promise<DeliveryReport> {
  const now = request.now ?? Date.now;
  const started = now();
  const deadline = startOverallDeadline(request.deadlineMs, request.server.signal);
  const progress = new DeliveryProgress(request.envelope.to);
  let error: SmtpError | undefined;
  try {
    error = await runAttempts(request, progress, started + request.deadlineMs, deadline.signal);
  } finally {
    deadline.dispose();
  }
  progress.settlePending();
  return buildReport(progress, now() - started, error);
}

/** The attempts and the waits between them; returns the failure that ended them, if any. */
async function runAttempts(
  request: DeliveryRequest,
  progress: DeliveryProgress,
  deadlineAt: number,
  signal: AbortSignal,
): Promise<SmtpError | undefined> {
  const now = request.now ?? Date.now;
  for (let tries = 1; ; tries += 1) {
    const verdict = await attemptOnce(request, progress, signal);
    if (verdict.next === 'done') return undefined;
    if (verdict.next === 'stop') return endingError(verdict.error, progress);
    const delay = planRetry(request, tries, deadlineAt - now(), signal);
    if (typeof delay === 'string') return giveUp(verdict, delay, progress);
    request.onRetry?.(verdict.reason, tries, delay);
    await (request.sleep ?? sleep)(delay, signal);
    if (signal.aborted) {
      const why = `${gaveUpAfter(tries)}: the delivery was aborted (cancelled, or the timeout input's deadline passed).`;
      return giveUp(verdict, why, progress);
    }
    progress.transcript.push({
      direction: 'info',
      text: `[attempt ${tries + 1}, after waiting ${formatSeconds(delay)}]`,
    });
  }
}

/**
 * One connection. Its time is bounded by the overall deadline's signal, not by a `total` cut to
 * the time left: the signal makes the client stop and name the step it was in, and this then
 * says it was the `timeout` input that ran out. A deadline spent is never worth another try.
 */
async function attemptOnce(
  request: DeliveryRequest,
  progress: DeliveryProgress,
  signal: AbortSignal,
): Promise<AttemptVerdict> {
  try {
    const result = await sendMail({
      ...request.server,
      envelope: { ...request.envelope, to: progress.pending },
      message: request.message,
      signal,
    });
    progress.attempts += 1;
    return progress.recordResult(result);
  } catch (caught) {
    if (!(caught instanceof SmtpError)) throw caught;
    // `attempts` counts connections: bad input is refused before one opens.
    if (!(caught instanceof SmtpInputError && caught.phase === 'input')) progress.attempts += 1;
    const deadline = findOverallDeadline(caught);
    if (deadline !== undefined) caught.message = deadline.message;
    if (caught.outcome === 'unknown') caught.message = `${caught.message} ${unknownOutcomeNote}`;
    const verdict = progress.recordFailure(caught);
    return deadline !== undefined && verdict.next === 'retry'
      ? { next: 'stop', error: caught }
      : verdict;
  }
}

function gaveUpAfter(tries: number): string {
  return `Gave up after ${tries} ${tries === 1 ? 'attempt' : 'attempts'}`;
}

/** The wait before the next attempt, or why there is none. Never waits past the deadline. */
function planRetry(
  request: DeliveryRequest,
  tries: number,
  remainingMs: number,
  signal: AbortSignal,
): number | string {
  const retries = Number.isFinite(request.retries) ? Math.max(0, Math.floor(request.retries)) : 0;
  if (tries > retries) {
    return `${gaveUpAfter(tries)} (the retries input allows ${retries}).`;
  }
  if (signal.aborted || remainingMs <= minAttemptMs) {
    return `${gaveUpAfter(tries)}: the timeout input's overall deadline (${formatSeconds(request.deadlineMs)}) leaves no time for another.`;
  }
  // The wait is cut so that the next attempt still has `minAttemptMs` before the deadline.
  const delay = computeBackoff(tries, request.random ?? Math.random);
  return Math.min(delay, remainingMs - minAttemptMs);
}

/**
 * A refusal of every remaining recipient after others got the message: `rejected` names each
 * with its reply, so the result is `partial` without an error (on-rejected-recipient decides).
 */
function endingError(error: SmtpError, progress: DeliveryProgress): SmtpError | undefined {
  return error instanceof SmtpRecipientsError && progress.accepted.length > 0 ? undefined : error;
}

/**
 * Out of tries or time. Recipients still refused for now, next to ones that have the message,
 * are reported in `rejected` with their replies, which tell the whole story: no error. Anything
 * else ends with the last failure, its message saying why it was not tried again.
 */
function giveUp(
  verdict: Extract<AttemptVerdict, { next: 'retry' }>,
  why: string,
  progress: DeliveryProgress,
): SmtpError | undefined {
  if (verdict.refusals && progress.accepted.length > 0) {
    progress.warnings.push(`${verdict.reason.message} ${why}`);
    return undefined;
  }
  verdict.reason.message = `${verdict.reason.message} ${why}`;
  return verdict.reason;
}

function buildReport(
  progress: DeliveryProgress,
  durationMs: number,
  error: SmtpError | undefined,
): DeliveryReport {
  return {
    result: chooseResult(progress, error),
    attempts: progress.attempts,
    accepted: progress.accepted,
    rejected: progress.rejected,
    response: progress.response,
    tls: progress.tls,
    authMechanism: progress.authMechanism,
    transcript: progress.transcript,
    warnings: progress.warnings,
    durationMs,
    error,
  };
}

/** `unknown` wins over `partial`: whoever may or may not have the message needs a person. */
function chooseResult(progress: DeliveryProgress, error: SmtpError | undefined): DeliveryResult {
  if (error?.outcome === 'unknown') return 'unknown';
  if (progress.accepted.length > 0) {
    return error === undefined && progress.rejected.length === 0 ? 'sent' : 'partial';
  }
  return 'failed';
}

/**
 * `Attempt 1 failed (421 4.7.0 Try later); retrying in 3.2 s`: what main logs in onRetry. A
 * recipient refused for now is named: `(RCPT TO:<b@example.com>: 450 4.2.1 Busy)`. The server's
 * text goes to the log outside any stop-commands pause, so it is escaped here: one line, and no
 * `##[` command, which the runner would find even in the middle of it.
 */
export function describeRetry(error: SmtpError, attempt: number, delayMs: number): string {
  let why = error.reply === undefined ? error.message : formatReply(error.reply);
  if (error.phase === 'rcpt' && error.command !== undefined) why = `${error.command}: ${why}`;
  return `Attempt ${attempt} failed (${escapeUntrustedInline(why)}); retrying in ${formatSeconds(delayMs)}`;
}

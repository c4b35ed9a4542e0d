import { formatSeconds } from './backoff.js';

/**
 * Why the overall deadline (the `timeout` input) aborted a delivery. Deliberately not an
 * SmtpError: the SMTP client passes its own errors through an abort unchanged, and wraps any
 * other reason in an SmtpTimeoutError for the step the session was in (connect, STARTTLS, the
 * reply to the final dot...). Only the client knows that step; a reason built here could only
 * guess it, and a wrong guess ("while connecting" for a server that went quiet after the
 * message) sends the reader to the wrong advice, such as port 25 being blocked.
 */
export class OverallDeadlineExpired extends Error {
  override readonly name = 'OverallDeadlineExpired';
}

export interface OverallDeadline {
  signal: AbortSignal;
  dispose(): void;
}

/** Node timers hold 32-bit milliseconds; a larger value would fire at once. */
const maxTimerMs = 2_147_483_647;

/**
 * The signal that aborts every attempt and wait of a delivery when its whole budget is spent,
 * or at once when `parent` (a cancelled job) aborts, with the parent's reason.
 */
export function startOverallDeadline(deadlineMs: number, parent?: AbortSignal): OverallDeadline {
  const controller = new AbortController();
  const reason = new OverallDeadlineExpired(
    `The delivery did not finish within the overall deadline of ${formatSeconds(deadlineMs)} (the timeout input).`,
  );
  const ms = Math.min(Math.max(1, deadlineMs), maxTimerMs);
  const timer = setTimeout(() => controller.abort(reason), ms).unref();
  const signal =
    parent === undefined ? controller.signal : AbortSignal.any([controller.signal, parent]);
  return { signal, dispose: () => clearTimeout(timer) };
}

/** A cause chain longer than this is not ours; stop rather than loop on a cycle. */
const maxCauseDepth = 8;

/** The deadline's reason, when it is `error` or one of its causes; undefined otherwise. */
export function findOverallDeadline(error: unknown): OverallDeadlineExpired | undefined {
  let current = error;
  for (let depth = 0; current instanceof Error && depth < maxCauseDepth; depth += 1) {
    if (current instanceof OverallDeadlineExpired) return current;
    current = current.cause;
  }
  return undefined;
}

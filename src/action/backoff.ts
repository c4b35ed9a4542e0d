/**
 * How long to wait before trying a delivery again. Exponential backoff with "full jitter": the
 * wait is a random point between zero and the exponential ceiling, so that many workflows hit by
 * the same outage (a provider's 421 at the top of the hour) do not all come back in step.
 */
export interface BackoffPolicy {
  /** The ceiling before the first retry, in milliseconds. */
  baseMs: number;
  /** How much the ceiling grows with each retry. */
  factor: number;
  /** The largest ceiling: a CI job is watched by a person, waiting minutes helps nobody. */
  capMs: number;
}

export const defaultBackoff: Readonly<BackoffPolicy> = Object.freeze({
  baseMs: 2_000,
  factor: 2,
  capMs: 30_000,
});

/**
 * The wait before retry number `retry` (1 for the first retry): `random() * min(cap, base *
 * factor^(retry - 1))`, rounded to whole milliseconds. `random` returns a number in [0, 1).
 */
export function computeBackoff(
  retry: number,
  random: () => number,
  policy: Readonly<BackoffPolicy> = defaultBackoff,
): number {
  const exponent = Math.max(0, retry - 1);
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** exponent);
  const fraction = Math.min(Math.max(random(), 0), 1);
  return Math.round(fraction * ceiling);
}

/**
 * Waits `ms` milliseconds, or less when `signal` aborts: the wait resolves either way, and the
 * caller looks at the clock and the signal to decide what comes next.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `3.2 s`, `300 s`: a wait as a person reads it in a log line. */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

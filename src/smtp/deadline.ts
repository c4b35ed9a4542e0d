/**
 * A time limit as an AbortSignal: it aborts after `ms`, or as soon as `parent` aborts (with the
 * parent's reason). `dispose` clears the timer and the parent listener, so a finished step
 * leaves nothing that keeps the process alive or fires later.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Starts a deadline. `reason` builds the error the signal aborts with when the time runs out;
 * it is called only then, so it may read state (how far the session got) at that moment.
 */
export function startDeadline(ms: number, reason: () => Error, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  // Unref'd: a deadline only guards work that holds the process open itself (a socket); a
  // caller that forgets to close must not keep a finished job alive until the deadline.
  const timer = setTimeout(() => controller.abort(reason()), ms).unref();
  if (parent?.aborted === true) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * Runs `body` until it settles or `signal` aborts, whichever is first. `cleanup` runs exactly
 * once either way, before the promise settles, told whether the body succeeded: it is where
 * listeners are removed and, on failure or abort, sockets destroyed.
 */
export function raceAbort<T>(
  signal: AbortSignal,
  body: (resolve: (value: T) => void, reject: (error: Error) => void) => void,
  cleanup: (succeeded: boolean) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (succeeded: boolean, settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      cleanup(succeeded);
      settle();
    };
    const onAbort = (): void => finish(false, () => reject(toError(signal.reason)));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    body(
      (value) => finish(true, () => resolve(value)),
      (error) => finish(false, () => reject(error)),
    );
  });
}

/** Abort reasons are usually our own errors; anything else is wrapped so callers get an Error. */
function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

import { SmtpInputError } from './errors.js';

/**
 * How long the client waits at each step, in milliseconds.
 *
 * RFC 5321 4.5.3.2 gives the minimum a client SHOULD wait for a server: 5 minutes for the
 * greeting and for MAIL and RCPT, 2 minutes for DATA's 354, 3 minutes per block of message data
 * and 10 minutes for the reply to the final dot. Those numbers were chosen for unattended MTAs
 * that relay mail for hours; a CI job is watched by a person and billed by the minute, so our
 * defaults are smaller. A submission server (what this action talks to) that has not answered a
 * command within a minute is overloaded or broken, and retrying later is better than holding
 * a runner for ten.
 */
export interface Timeouts {
  /** TCP connect, proxy tunnel and, for implicit TLS, the TLS handshake together. */
  connect: number;
  /** The 220 greeting after the connection opens (RFC 5321 4.5.3.2.1). */
  greeting: number;
  /** The reply to any command other than the final dot: EHLO, AUTH, MAIL, RCPT, DATA, QUIT. */
  command: number;
  /** How long a write of message data may wait for the server to take it (4.5.3.2.5). */
  dataBlock: number;
  /** The reply to the final `.`: the server may run content filters before answering. */
  finalReply: number;
  /** The whole session, connect to QUIT: a hard ceiling so a step can never hang a job. */
  total: number;
}

/**
 * The defaults. `finalReply` keeps the most room because RFC 5321 4.5.3.2.6 warns that a client
 * which gives up too early here causes duplicate deliveries: the server may have accepted the
 * message and be busy with filters. Ten minutes is the RFC figure; five is enough for any
 * submission server we know of, and the whole run stays inside `total`.
 */
export const defaultTimeouts: Readonly<Timeouts> = Object.freeze({
  connect: 30_000,
  greeting: 60_000,
  command: 60_000,
  dataBlock: 60_000,
  finalReply: 300_000,
  total: 600_000,
});

/** Node's timers hold 32-bit signed milliseconds; a larger value silently fires after 1 ms. */
const maxTimerMs = 2_147_483_647;

const timeoutNames = Object.keys(defaultTimeouts) as readonly (keyof Timeouts)[];

/**
 * Fills in defaults for the timeouts not given and checks the given ones: each must be a
 * positive, finite number of milliseconds that a Node timer can hold.
 */
export function resolveTimeouts(partial: Partial<Timeouts> = {}): Timeouts {
  const resolved: Timeouts = { ...defaultTimeouts };
  for (const [name, value] of Object.entries(partial) as [string, unknown][]) {
    if (!timeoutNames.includes(name as keyof Timeouts)) {
      throw new SmtpInputError(
        `Unknown timeout "${name}": expected one of ${timeoutNames.join(', ')}.`,
      );
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maxTimerMs) {
      throw new SmtpInputError(
        `Timeout "${name}" must be a positive number of milliseconds up to ${maxTimerMs}; got ${describeValue(value)}.`,
      );
    }
    resolved[name as keyof Timeouts] = value;
  }
  return resolved;
}

function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value);
}

/**
 * The action's retry rules (`deliverWithRetries`, src/action/delivery.ts) as the reliability
 * tests drive them: one message from ci@example.com to dev@example.com, a generous deadline,
 * and no real waiting between attempts (the delay is computed, then skipped), so a test sees
 * exactly which failures are tried again without spending the back-off.
 */
import {
  deliverWithRetries,
  type DeliveryReport,
  type DeliveryRequest,
} from '../../src/action/delivery.js';
import type { ServerOptions } from '../../src/smtp/index.js';

export function deliverWithoutWaits(
  server: ServerOptions,
  message: Uint8Array,
  retries: number,
  extra: Partial<DeliveryRequest> = {},
): Promise<DeliveryReport> {
  return deliverWithRetries({
    server,
    envelope: { from: 'ci@example.com', to: ['dev@example.com'], smtpUtf8: false },
    message,
    retries,
    deadlineMs: 60_000,
    random: () => 0,
    sleep: () => Promise.resolve(),
    ...extra,
  });
}

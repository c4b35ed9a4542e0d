/**
 * The overall deadline (the `timeout` input) names the step a delivery stopped in, not
 * "connecting" whatever happened: a server that goes quiet after the message must not get the
 * advice for a blocked port 25. A scripted server stays silent at the chosen step; the SMTP
 * client's own timeouts are left at their (long) defaults, so the deadline is what ends it.
 */
import { describe, expect, it } from 'vitest';
import {
  OverallDeadlineExpired,
  startOverallDeadline,
} from '../../src/action/delivery-deadline.js';
import { deliverWithRetries, type DeliveryReport } from '../../src/action/delivery.js';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import {
  type SmtpError,
  SmtpTimeoutError,
  sendMail,
  type SmtpPhase,
} from '../../src/smtp/index.js';
import type { Script } from '../helpers/scripted-server.js';
import {
  contentAndDot,
  greeted,
  localServer,
  pipelinedEnvelope,
  scripted,
  scriptedMessage,
} from '../helpers/send-fixtures.js';
import { envelopeTo } from './delivery-env.js';

/**
 * Delivers `scriptedMessage` in plaintext to the scripted server with a deadline of 500 ms; the
 * client has no timeouts of its own, so only the deadline can end it.
 */
function deliverWithin500Ms(port: number): Promise<DeliveryReport> {
  return deliverWithRetries({
    server: localServer(port),
    ...envelopeTo('dev@example.com'),
    message: scriptedMessage,
    retries: 3,
    deadlineMs: 500,
  });
}

/** A session that goes silent once the whole message and its dot were sent. */
const silentAfterDot: Script = [
  ...pipelinedEnvelope,
  { send: '250 ok\r\n250 ok\r\n354 go\r\n' },
  ...contentAndDot,
];

describe('the overall deadline seen by the SMTP client', () => {
  it('aborts a session in the step it was in, with the deadline as the cause', async () => {
    const server = await scripted(silentAfterDot);
    const deadline = startOverallDeadline(300);
    const error = await sendMail({
      ...localServer(server.port),
      envelope: { from: 'ci@example.com', to: ['dev@example.com'] },
      message: scriptedMessage,
      signal: deadline.signal,
    }).catch((caught: unknown) => caught);
    deadline.dispose();
    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect((error as SmtpError).phase).toBe('message');
    expect((error as SmtpError).cause).toBeInstanceOf(OverallDeadlineExpired);
    expect((error as SmtpError).outcome).toBe('unknown');
  });
});

describe('deliverWithRetries when the overall deadline passes', () => {
  const silentAt: [string, Script, SmtpPhase][] = [
    ['before the greeting', [], 'greeting'],
    ['after EHLO', [...greeted, { expect: /^MAIL FROM:/ }], 'mail'],
    ['after the final dot', silentAfterDot, 'message'],
  ];

  it.each(silentAt)('names the step when the server is silent %s', async (_when, script, phase) => {
    const server = await scripted(script);
    const report = await deliverWithin500Ms(server.port);
    expect(report.error).toBeInstanceOf(SmtpTimeoutError);
    expect(report.error?.phase).toBe(phase);
    expect(report.error?.message).toMatch(
      /^The delivery did not finish within the overall deadline of 0\.5 s \(the timeout input\)\./,
    );
    // Spent is spent: no second attempt, and no "gave up" sentence repeating the deadline.
    expect(report.attempts).toBe(1);
    expect(report.error?.message).not.toMatch(/Gave up/);
    const advice = adviseOnFailure(report.error, { ...localServer(server.port), port: 25 });
    // A silent greeting on port 25 is what a blocked port looks like; later steps are not.
    if (phase === 'greeting') expect(advice).toContain('block outbound port 25');
    else expect(advice).toContain('raise `timeout`');
    if (phase !== 'greeting') expect(advice).not.toContain('port 25');
  });

  it('says the outcome is unknown when the deadline passed after the dot', async () => {
    const server = await scripted(silentAfterDot);
    const report = await deliverWithin500Ms(server.port);
    expect(report.result).toBe('unknown');
    expect(adviseOnFailure(report.error)).toMatch(
      /^SMTP failed while sending the message: The delivery did not finish within the overall deadline/,
    );
  });
});

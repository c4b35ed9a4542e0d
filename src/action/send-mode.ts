/**
 * `mode: send`: delivers the prepared message, then reports what happened in every place a
 * workflow looks: outputs, the job summary, the log (transcript, warnings) and the step's
 * status. A failed delivery still writes outputs and summary, so `if: failure()` steps and
 * people reading the run see what the server said.
 */

import * as core from '@actions/core';
import { formatReply, type RecipientReply, type ServerOptions } from '../smtp/index.js';
import { Inputs } from './constants.js';
import { describeRefusals } from './delivery-progress.js';
import { deliverWithRetries, describeRetry, type DeliveryReport } from './delivery.js';
import { adviseOnFailure } from './failure-advice.js';
import { listBccAddresses } from './message.js';
import { writeOutputs } from './outputs.js';
import type { PreparedMessage } from './prepared-message.js';
import {
  escapeUntrustedInline,
  escapeUntrustedLines,
  printTranscript,
  quoteUntrusted,
} from './safe-log.js';
import { describeEndpoint, hideUrlHost, hideUrlHostInTranscript } from './server-source.js';
import type { Settings } from './settings.js';
import { writeSummary } from './summary.js';

/**
 * Sends; the step fails on a delivery failure, and on refused recipients unless told to warn.
 * Every line with server text (replies, warnings, the failure) is escaped: a hostile server, or
 * an address it echoes, must not be able to write a workflow command into the log.
 */
export async function runSendMode(
  settings: Settings,
  server: ServerOptions,
  prepared: PreparedMessage,
): Promise<void> {
  const { composed } = prepared;
  const shown = (text: string): string => hideUrlHost(text, server, settings.serverSource);
  // The subject may hold a pull request title: quoted, it cannot start a line or a command.
  core.info(
    `Sending ${quoteUntrusted(prepared.parts.subject)} (${composed.messageId}, ` +
      `${composed.size} bytes) to ${composed.envelope.to.length} recipient(s) through ` +
      describeEndpoint(server, settings.serverSource),
  );
  const report = await deliverWithRetries({
    server,
    envelope: composed.envelope,
    message: composed.bytes,
    retries: settings.retries,
    deadlineMs: settings.timeoutSeconds * 1000,
    onRetry: (error, attempt, delayMs) => core.info(shown(describeRetry(error, attempt, delayMs))),
  });
  const failure = describeFailure(report, server, settings);
  await reportDelivery(settings, server, prepared, report, failure);
  if (failure !== undefined) {
    core.setFailed(escapeUntrustedLines(failure));
    return;
  }
  reportRejected(report.rejected, settings.onRejectedRecipient);
  if (report.accepted.length > 0 && report.response !== undefined) {
    const reply = escapeUntrustedInline(shown(formatReply(report.response)));
    core.info(`Sent: the server replied ${reply}`);
  }
}

/** Why the step fails, or undefined when the message reached at least one recipient. */
function describeFailure(
  report: DeliveryReport,
  server: ServerOptions,
  settings: Settings,
): string | undefined {
  if (report.error !== undefined) {
    return adviseOnFailure(report.error, server, settings.serverSource);
  }
  // Not expected without an error, but a step must never pass when nobody got the message.
  if (report.accepted.length === 0) return 'No recipient accepted the message; nothing was sent.';
  return undefined;
}

async function reportDelivery(
  settings: Settings,
  server: ServerOptions,
  prepared: PreparedMessage,
  report: DeliveryReport,
  failure: string | undefined,
): Promise<void> {
  const messageId = prepared.composed.messageId;
  const source = settings.serverSource;
  const shown = (text: string): string => hideUrlHost(text, server, source);
  const common = {
    messageId,
    result: report.result,
    attempts: report.attempts,
    accepted: report.accepted,
    rejected: report.rejected,
    response: report.response,
  };
  writeOutputs(common);
  await writeSummary({
    ...common,
    subject: prepared.parts.subject,
    from: settings.message.from,
    bcc: listBccAddresses(settings.message.bcc),
    server: { host: server.host, port: server.port },
    serverSource: source,
    tls: report.tls,
    authMechanism: report.authMechanism,
    durationMs: report.durationMs,
    failure,
  });
  // On failure the conversation is the evidence: shown, collapsed, even without `transcript`.
  if (settings.transcript || failure !== undefined) {
    printTranscript(hideUrlHostInTranscript(report.transcript, server, source));
  }
  for (const warning of report.warnings) core.warning(escapeUntrustedLines(shown(warning)));
}

/**
 * Refused recipients next to accepted ones: the message went to the others either way (there
 * is no taking it back), so the choice is only whether the step fails.
 */
function reportRejected(
  rejected: readonly RecipientReply[],
  mode: Settings['onRejectedRecipient'],
) {
  if (rejected.length === 0) return;
  const message =
    `The server refused ${rejected.length} recipient(s): ${describeRefusals(rejected)}. The message was ` +
    `delivered to the others. Check the addresses, or set ${Inputs.onRejectedRecipient}: ` +
    `${mode === 'fail' ? 'warn' : 'fail'} to ${mode === 'fail' ? 'only warn' : 'fail the step'}.`;
  // Addresses and replies are the server's words: escaped, as in every annotation here.
  if (mode === 'fail') core.setFailed(escapeUntrustedLines(message));
  else core.warning(escapeUntrustedLines(message));
}

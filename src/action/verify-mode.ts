/**
 * `mode: verify`: connect, secure, authenticate and QUIT, with no message. A workflow can check
 * its SMTP settings (say, after rotating a password) without sending anyone mail.
 */

import * as core from '@actions/core';
import { SmtpError, verifyConnection, type ServerOptions } from '../smtp/index.js';
import { adviseOnFailure } from './failure-advice.js';
import { writeOutputs } from './outputs.js';
import { escapeUntrustedLines, printTranscript } from './safe-log.js';
import { describeEndpoint, hideUrlHost, hideUrlHostInTranscript } from './server-source.js';
import type { Settings } from './settings.js';
import { writeSummary } from './summary.js';

/** Server text (warnings, the failure) is escaped, and a connection URL's host kept hidden. */
export async function runVerifyMode(settings: Settings, server: ServerOptions): Promise<void> {
  const started = Date.now();
  const source = settings.serverSource;
  const shown = (text: string): string => hideUrlHost(text, server, source);
  const endpoint = { host: server.host, port: server.port };
  core.info(
    `Verifying ${describeEndpoint(server, source)} (tls ${server.tls}); no message is sent.`,
  );
  try {
    const report = await verifyConnection({
      ...server,
      timeouts: { ...server.timeouts, total: settings.timeoutSeconds * 1000 },
    });
    writeOutputs({ result: 'verified', attempts: 1 });
    await writeSummary({
      result: 'verified',
      server: endpoint,
      serverSource: source,
      tls: report.tls,
      authMechanism: report.authMechanism,
      attempts: 1,
      durationMs: Date.now() - started,
    });
    if (settings.transcript) {
      printTranscript(hideUrlHostInTranscript(report.transcript, server, source));
    }
    for (const warning of report.warnings) core.warning(escapeUntrustedLines(shown(warning)));
    const tls = report.tls === undefined ? 'no TLS' : report.tls.protocol;
    core.info(`Verified: ${tls}, AUTH ${report.authMechanism ?? 'not used'}.`);
  } catch (error) {
    if (!(error instanceof SmtpError)) throw error;
    const failure = adviseOnFailure(error, server, source);
    writeOutputs({ result: 'failed', attempts: 1 });
    await writeSummary({
      result: 'failed',
      server: endpoint,
      serverSource: source,
      attempts: 1,
      durationMs: Date.now() - started,
      failure,
    });
    printTranscript(hideUrlHostInTranscript(error.transcript, server, source));
    core.setFailed(escapeUntrustedLines(failure));
  }
}

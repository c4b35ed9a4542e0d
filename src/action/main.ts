/**
 * The action's flow. Every input is read, every template rendered, every file read and the
 * message composed BEFORE any connection opens: a mistake stops the step with nothing sent.
 * Kept free of side effects on import so tests can load it; src/action/index.ts calls run().
 */

import * as core from '@actions/core';
import { ActionInputError } from './action-input-error.js';
import { Inputs } from './constants.js';
import { runDryRunMode } from './dry-run.js';
import { adviseOnFailure } from './failure-advice.js';
import { writeOutputs } from './outputs.js';
import { describePortTlsMismatch } from './port-tls-warning.js';
import { prepareMessage } from './prepared-message.js';
import { escapeUntrustedLines } from './safe-log.js';
import { runSendMode } from './send-mode.js';
import { readSettings, type Settings } from './settings.js';
import { writeSummary } from './summary.js';
import { runVerifyMode } from './verify-mode.js';

export async function run(): Promise<void> {
  let settings: Settings | undefined;
  try {
    settings = await readSettings();
    const { server } = settings;
    if (server !== undefined && settings.mode !== 'dry-run') {
      if (!settings.tlsVerify) warnUnverifiedTls();
      const mismatch = describePortTlsMismatch(server, settings.serverSource);
      if (mismatch !== undefined) core.warning(mismatch);
    }
    if (settings.mode === 'verify' && server !== undefined) {
      await runVerifyMode(settings, server);
      return;
    }
    const prepared = await prepareMessage(settings, process.env);
    if (settings.mode === 'dry-run') await runDryRunMode(settings, prepared);
    else if (server !== undefined) await runSendMode(settings, server, prepared);
    else throw new ActionInputError(Inputs.server, 'is required to send: give the SMTP host.');
  } catch (error) {
    await reportUnexpected(error, settings);
  }
}

function warnUnverifiedTls(): void {
  core.warning(
    `Input "${Inputs.tlsVerify}" is false: the server's certificate is not checked, so anyone ` +
      'on the network path can pose as the server and read the password and the message. For ' +
      `a private CA, give its certificate in "${Inputs.tlsCa}" instead.`,
  );
}

/**
 * The catch-all: whatever was thrown (an input or template error, a bug, even a non-Error
 * value) fails the step with a message, and the outputs still say `failed` for later steps.
 * The message can quote what it refused (a file name from the repository, an address that came
 * from event data), so it is escaped like any untrusted text.
 */
async function reportUnexpected(error: unknown, settings: Settings | undefined): Promise<void> {
  const failure = adviseOnFailure(error, settings?.server, settings?.serverSource);
  if (error instanceof Error && error.stack !== undefined) {
    core.debug(escapeUntrustedLines(error.stack));
  }
  core.setFailed(
    failure === '' ? 'smtp-notify failed without a message' : escapeUntrustedLines(failure),
  );
  try {
    writeOutputs({ result: 'failed' });
    await writeSummary({ result: 'failed', failure });
  } catch (reportError) {
    core.debug(
      escapeUntrustedLines(`Could not write the outputs or summary: ${String(reportError)}`),
    );
  }
}

import * as core from '@actions/core';
import { formatReply, type RecipientReply, type Reply } from '../smtp/index.js';
import { Outputs } from './constants.js';
import type { DeliveryResult } from './delivery.js';

/** The `result` output: a delivery's result, or what the other modes did. */
export type OutputResult = DeliveryResult | 'dry-run' | 'verified';

/** Every output; what a mode does not produce is left out and written as ''. */
export interface OutputValues {
  messageId?: string | undefined;
  result?: OutputResult | undefined;
  attempts?: number | undefined;
  accepted?: readonly RecipientReply[] | undefined;
  rejected?: readonly RecipientReply[] | undefined;
  /** The server's reply to the final dot, which usually carries its queue id. */
  response?: Reply | undefined;
  /** The dry run's .eml file. */
  emlPath?: string | undefined;
}

/** One recipient in the `accepted` and `rejected` outputs. */
interface RecipientOutput {
  address: string;
  /** The server's reply to RCPT TO as one line, e.g. `550 5.1.1 User unknown`. */
  reply: string;
}

/** `[{"address":"dev@example.com","reply":"250 2.1.5 OK"}]`, for `fromJSON` in workflows. */
export function formatRecipients(recipients: readonly RecipientReply[]): string {
  const list: RecipientOutput[] = recipients.map(({ address, reply }) => ({
    address,
    reply: formatReply(reply),
  }));
  return JSON.stringify(list);
}

/**
 * Sets every output, each one always: a later step reading `steps.mail.outputs.rejected` gets
 * '' rather than an unset value it cannot tell from a typo. The values go to the GITHUB_OUTPUT
 * file in a heredoc with a random delimiter (@actions/core), so server text in a reply cannot
 * end the value early and set another output.
 */
export function writeOutputs(values: OutputValues): void {
  const recipients = (list: readonly RecipientReply[] | undefined): string =>
    list === undefined ? '' : formatRecipients(list);
  core.setOutput(Outputs.messageId, values.messageId ?? '');
  core.setOutput(Outputs.result, values.result ?? '');
  core.setOutput(Outputs.attempts, values.attempts === undefined ? '' : String(values.attempts));
  core.setOutput(Outputs.accepted, recipients(values.accepted));
  core.setOutput(Outputs.rejected, recipients(values.rejected));
  core.setOutput(
    Outputs.response,
    values.response === undefined ? '' : formatReply(values.response),
  );
  core.setOutput(Outputs.emlPath, values.emlPath ?? '');
}

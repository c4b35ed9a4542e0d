/**
 * Every input of the action, read once into one typed object. Nothing else in the action reads
 * an input: what is here is all a run can depend on, validated before anything connects.
 */
import { setSecret } from '@actions/core';
import type { ServerOptions } from '../smtp/index.js';
import type { AttachmentSettings } from './attachments.js';
import {
  Choices,
  Defaults,
  Inputs,
  Ranges,
  type Mode,
  type OnRejectedRecipient,
} from './constants.js';
import { InputReader } from './input-reader.js';
import { listBccAddresses } from './message.js';
import { readMessageSettings, type MessageSettings } from './message-settings.js';
import {
  collectBccAddresses,
  collectSecrets,
  maskingOnce,
  maskSecrets,
  type MaskSecret,
} from './secrets.js';
import { readServerSettings } from './server-settings.js';
import type { ServerSource } from './server-source.js';
import { parseSize } from './size.js';

export type { MessageSettings } from './message-settings.js';

export interface Settings {
  mode: Mode;
  /** The SMTP client's options; undefined only in dry-run with no server given. */
  server: ServerOptions | undefined;
  /** false: certificates are not checked (`tlsOptions.dangerouslyAcceptInvalidCertificates`). */
  tlsVerify: boolean;
  /** `connection-url`: the host is a secret, shown as `(connection-url)`; advice names the URL. */
  serverSource: ServerSource;
  /** The overall deadline for all attempts, in seconds. */
  timeoutSeconds: number;
  /** Attempts after a transient failure, 0 to 10. */
  retries: number;
  message: MessageSettings;
  attachments: AttachmentSettings;
  /** GITHUB_WORKSPACE (the current directory outside a runner): where input paths start. */
  workspace: string;
  /** The `vars` input as given (YAML or JSON); '' when absent. */
  vars: string;
  /** The job status, lowercase; '' when absent. */
  status: string;
  onRejectedRecipient: OnRejectedRecipient;
  transcript: boolean;
}

export interface ReadSettingsOptions {
  /** Where the INPUT_* variables, GITHUB_WORKSPACE and SMTP_PROXY come from; process.env. */
  env?: NodeJS.ProcessEnv;
  /** Registers a secret with the runner; `core.setSecret`. */
  mask?: (secret: string) => void;
}

/**
 * Reads and checks every input. Secrets and Bcc addresses are masked FIRST, before anything
 * that can throw, so no error or later log line can reveal one; the forms validation produces
 * (the host as the client will name it, A-label domains) are masked next, before any
 * connection. Files the inputs name are read relative to GITHUB_WORKSPACE. Throws
 * ActionInputError naming the input at fault.
 */
export async function readSettings(options: ReadSettingsOptions = {}): Promise<Settings> {
  const env = options.env ?? process.env;
  const mask: MaskSecret = maskingOnce(options.mask ?? setSecret);
  const reader = new InputReader(env);
  maskSecrets([...collectSecrets(reader), ...collectBccAddresses(reader)], mask);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const mode = reader.choice(Inputs.mode, Choices.mode, Defaults.mode);
  const { server, tlsVerify, serverSource } = await readServerSettings(reader, workspace, mode);
  const message = await readMessageSettings(reader, workspace, mode);
  const urlHost = serverSource === 'connection-url' && server !== undefined ? [server.host] : [];
  const bcc = listBccAddresses(message.bcc);
  maskSecrets([...urlHost, ...bcc, ...bcc.map((address) => address.toLowerCase())], mask);
  const maxSize = reader.text(Inputs.attachmentsMaxSize) || Defaults.attachmentsMaxSize;
  return {
    mode,
    server,
    tlsVerify,
    serverSource,
    timeoutSeconds: reader.integer(Inputs.timeout, Ranges.timeout, Defaults.timeout),
    retries: reader.integer(Inputs.retries, Ranges.retries, Defaults.retries),
    message,
    attachments: {
      patterns: reader.lines(Inputs.attachments),
      ifNoFilesFound: reader.choice(
        Inputs.ifNoFilesFound,
        Choices.ifNoFilesFound,
        Defaults.ifNoFilesFound,
      ),
      maxBytes: parseSize(Inputs.attachmentsMaxSize, maxSize),
    },
    workspace,
    vars: reader.text(Inputs.vars),
    status: reader.text(Inputs.status).toLowerCase(),
    onRejectedRecipient: reader.choice(
      Inputs.onRejectedRecipient,
      Choices.onRejectedRecipient,
      Defaults.onRejectedRecipient,
    ),
    transcript: reader.boolean(Inputs.transcript, Defaults.transcript),
  };
}

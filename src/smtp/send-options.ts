import { mailCommand, rcptCommand, type DsnNotifyEvent } from './commands.js';
import { inspectMessage, type MessageFacts } from './data-encoder.js';
import { prepareEnvelopeAddress, type EnvelopeAddress } from './envelope-address.js';
import { SmtpInputError } from './errors.js';
import { checkServerOptions, type CheckedConnection, type ServerOptions } from './options.js';

/** Delivery status notification requests (RFC 3461), sent only when the server offers DSN. */
export interface DsnOptions {
  notify?: 'NEVER' | readonly DsnNotifyEvent[];
  ret?: 'FULL' | 'HDRS';
  envId?: string;
}

export interface SendMailOptions extends ServerOptions {
  envelope: {
    from: string;
    to: readonly string[];
    /**
     * The message itself carries UTF-8 addresses in its headers (RFC 6532), so it needs
     * SMTPUTF8 even when every envelope address is ASCII.
     */
    smtpUtf8?: boolean;
  };
  /** The complete RFC 5322 message, as it should arrive (line endings are normalised to CRLF). */
  message: Uint8Array;
  dsn?: DsnOptions;
}

/** A send after validation: every address prepared and the message measured. */
export interface CheckedSend extends CheckedConnection {
  sender: EnvelopeAddress;
  recipients: readonly EnvelopeAddress[];
  message: Uint8Array;
  facts: MessageFacts;
  /** The message needs SMTPUTF8 whatever its envelope addresses are. */
  smtpUtf8: boolean;
  dsn: DsnOptions | undefined;
}

// RFC 5321 4.5.3.1.6: a text line is at most 1000 octets including CRLF.
const MAX_LINE_OCTETS = 998;

function checkRecipients(to: unknown): EnvelopeAddress[] {
  if (!Array.isArray(to) || to.length === 0) {
    throw new SmtpInputError('envelope.to needs at least one recipient address.');
  }
  const seen = new Map<string, EnvelopeAddress>();
  for (const address of to as unknown[]) {
    const prepared = prepareEnvelopeAddress(String(address));
    seen.set(prepared.wire, prepared);
  }
  return [...seen.values()];
}

function checkMessage(message: unknown): { message: Uint8Array; facts: MessageFacts } {
  if (!(message instanceof Uint8Array)) {
    throw new SmtpInputError('message must be the bytes of the message (a Uint8Array).');
  }
  const facts = inspectMessage(message);
  if (facts.longestLine > MAX_LINE_OCTETS) {
    throw new SmtpInputError(
      `The message has a line of ${facts.longestLine} octets; SMTP allows ${MAX_LINE_OCTETS} (RFC 5321 4.5.3.1.6). Encode long lines (quoted-printable or base64) before sending.`,
    );
  }
  return { message, facts };
}

/**
 * DSN values go into MAIL and RCPT parameters, so the command builders hold their rules (RFC
 * 3461 4); building both once now refuses a bad value before any connection opens.
 */
function checkDsn(dsn: DsnOptions | undefined): DsnOptions | undefined {
  if (dsn === undefined) return undefined;
  mailCommand('', { ret: dsn.ret, envId: dsn.envId });
  rcptCommand('postmaster', { notify: dsn.notify });
  return dsn;
}

/** Validates a whole send: connection, envelope and message, before any connection opens. */
export function checkSendOptions(options: SendMailOptions): CheckedSend {
  const connection = checkServerOptions(options);
  const envelope = options.envelope as SendMailOptions['envelope'] | undefined;
  if (envelope === undefined) {
    throw new SmtpInputError('envelope is required: { from, to: [...] }.');
  }
  const sender =
    envelope.from === ''
      ? { wire: '', needsSmtpUtf8: false }
      : prepareEnvelopeAddress(envelope.from);
  return {
    ...connection,
    sender,
    recipients: checkRecipients(envelope.to),
    smtpUtf8: envelope.smtpUtf8 === true,
    ...checkMessage(options.message),
    dsn: checkDsn(options.dsn),
  };
}

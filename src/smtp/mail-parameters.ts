import type { Capabilities } from './capabilities.js';
import type { MailParameters, RcptParameters } from './commands.js';
import { SmtpInputError } from './errors.js';
import type { CheckedSend } from './send-options.js';

/** The parameters of MAIL FROM and RCPT TO for one send, chosen from what the server offers. */
export interface EnvelopeParameters {
  mail: MailParameters;
  rcpt: RcptParameters;
  /** Things the user asked for that the server cannot do; reported, not fatal. */
  warnings: string[];
}

/** The server cannot take this message as it is: refused before MAIL, so nothing is sent. */
function refuse(message: string): never {
  throw new SmtpInputError(message, undefined, 'mail');
}

/** RFC 1870 6: declare the size when the server has SIZE; refuse before MAIL when over it. */
function chooseSize(send: CheckedSend, capabilities: Capabilities): number | undefined {
  if (!capabilities.keywords.has('SIZE')) return undefined;
  const limit = capabilities.size;
  if (limit !== undefined && send.facts.wireSize > limit) {
    refuse(
      `The message is ${send.facts.wireSize} octets but the server accepts at most ${limit} (its SIZE limit); send smaller attachments.`,
    );
  }
  return send.facts.wireSize;
}

/** RFC 6152 3: BODY=8BITMIME only when the bytes need it, and only if the server offers it. */
function chooseBody(send: CheckedSend, capabilities: Capabilities): '8BITMIME' | undefined {
  if (!send.facts.has8bit) return undefined;
  if (!capabilities.eightBitMime) {
    refuse(
      'The message contains 8-bit bytes but the server does not offer 8BITMIME; encode the message as 7-bit (quoted-printable or base64).',
    );
  }
  return '8BITMIME';
}

/**
 * RFC 6531 3.4: SMTPUTF8 only when an envelope address or the message's own headers need it;
 * without server support, refuse rather than send what the server cannot carry.
 */
function chooseSmtpUtf8(send: CheckedSend, capabilities: Capabilities): boolean {
  const addresses = [send.sender, ...send.recipients];
  const needing = addresses.find((address) => address.needsSmtpUtf8);
  if (needing === undefined && !send.smtpUtf8) return false;
  if (!capabilities.smtpUtf8) {
    const what =
      needing === undefined
        ? 'The message has UTF-8 addresses in its headers'
        : `The address ${JSON.stringify(needing.wire)} has a non-ASCII local part`;
    refuse(`${what}, which needs SMTPUTF8, and the server does not offer it; use ASCII addresses.`);
  }
  return true;
}

/**
 * Decides every MAIL and RCPT parameter once the server's capabilities are known. Throws
 * before MAIL is sent, so nothing is half-sent when the server cannot take the message.
 */
export function chooseEnvelopeParameters(
  send: CheckedSend,
  capabilities: Capabilities,
): EnvelopeParameters {
  const mail: MailParameters = {};
  const rcpt: RcptParameters = {};
  const warnings: string[] = [];
  const size = chooseSize(send, capabilities);
  if (size !== undefined) mail.size = size;
  const body = chooseBody(send, capabilities);
  if (body !== undefined) mail.body = body;
  if (chooseSmtpUtf8(send, capabilities)) mail.smtpUtf8 = true;
  const dsn = send.dsn;
  if (dsn !== undefined) {
    if (capabilities.dsn) {
      if (dsn.ret !== undefined) mail.ret = dsn.ret;
      if (dsn.envId !== undefined) mail.envId = dsn.envId;
      if (dsn.notify !== undefined) rcpt.notify = dsn.notify;
    } else {
      warnings.push(
        'Delivery status notifications were requested but the server does not offer DSN; sent without them.',
      );
    }
  }
  return { mail, rcpt, warnings };
}

import { SmtpInputError } from './errors.js';
import { quoteValue } from './reply-text.js';

/** Parameters of MAIL FROM, each sent only when set (the session checks the server has it). */
export interface MailParameters {
  /** RFC 1870: the message size in octets. */
  size?: number;
  /** RFC 6152: the body type. */
  body?: '7BIT' | '8BITMIME';
  /** RFC 6531: the envelope or headers contain UTF-8. */
  smtpUtf8?: boolean;
  /** RFC 3461 4.3: what a bounce should return. */
  ret?: 'FULL' | 'HDRS';
  /** RFC 3461 4.4: an envelope identifier, printable ASCII, at most 100 characters. */
  envId?: string;
}

export type DsnNotifyEvent = 'SUCCESS' | 'FAILURE' | 'DELAY';

const notifyEvents: readonly DsnNotifyEvent[] = ['SUCCESS', 'FAILURE', 'DELAY'];
const dsnReturns: readonly string[] = ['FULL', 'HDRS'];
const bodyTypes: readonly string[] = ['7BIT', '8BITMIME'];

/** Parameters of RCPT TO (RFC 3461 4.1, 4.2). */
export interface RcptParameters {
  notify?: 'NEVER' | readonly DsnNotifyEvent[];
  /** The original recipient, sent as `rfc822;` + xtext. */
  orcpt?: string;
}

/** RFC 5321 4.5.3.1.4: a command line is at most 512 octets including CRLF. */
export const MAX_COMMAND_LENGTH = 512;
/**
 * RFC 4954 4: a SASL response on a line of its own may reach 12288 octets. The AUTH command
 * itself keeps the 512 of every command; `authenticate` moves a longer initial response off it
 * (`fitsAuthCommand`).
 */
export const MAX_SASL_RESPONSE_LENGTH = 12288;

// C0 controls (CR, LF, NUL, TAB...), DEL, C1 controls (NEL among them), the Unicode line and
// paragraph separators, and lone surrogates (which UTF-8 encoding would silently replace):
// none may reach the wire, or a value could end the line and inject a command.
// eslint-disable-next-line no-control-regex -- matching controls is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/u;

const utf8 = new TextEncoder();

function checkText(value: string, what: string): void {
  const match = FORBIDDEN.exec(value);
  if (match) {
    // Name the character and its position, never the value: it may be a credential.
    const codePoint = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new SmtpInputError(
      `${what} contains the control character U+${codePoint} at position ${match.index}; ` +
        'remove line breaks and control characters from the value.',
    );
  }
}

/** A value from a closed set (RFC 3461 4.1, 4.3; RFC 6152 2): a space in it would add a parameter. */
function checkOneOf(value: unknown, allowed: readonly string[], what: string): string {
  if (typeof value === 'string' && allowed.includes(value)) return value;
  throw new SmtpInputError(
    `${what} must be one of ${allowed.join(', ')}, not ${quoteValue(value)}.`,
  );
}

/**
 * RFC 3461 4.2 and 4.4: ORCPT and ENVID carry printable US-ASCII, which xtext then encodes.
 * xtext could encode a CR as `+0D`, but a control character in them is an input error, not data.
 */
function encodeDsnText(value: string, what: string): string {
  checkText(value, what);
  return encodeXtext(value);
}

/** Encodes a checked line as UTF-8 + CRLF, checking the bytes themselves once more. */
function encodeLine(line: string, maxLength: number, what: string): Uint8Array {
  const body = utf8.encode(line);
  // Defence in depth: whatever the string checks missed, no control octet goes out.
  if (body.some((byte) => byte < 0x20 || byte === 0x7f)) {
    throw new SmtpInputError(`${what} would put a control octet on the wire.`);
  }
  if (body.length + 2 > maxLength) {
    throw new SmtpInputError(
      `${what} is ${body.length + 2} octets long; the limit is ${maxLength} including CRLF ` +
        `(${maxLength === MAX_COMMAND_LENGTH ? 'RFC 5321 4.5.3.1.4' : 'RFC 4954 4'}). ` +
        'Shorten the address or parameter.',
    );
  }
  const bytes = new Uint8Array(body.length + 2);
  bytes.set(body);
  bytes[body.length] = 0x0d;
  bytes[body.length + 1] = 0x0a;
  return bytes;
}

/**
 * The one place a command line is built: `verb arg1 arg2...` as UTF-8 with CRLF. Refuses
 * control characters in any part and lines over 512 octets (AUTH too: RFC 4954 4).
 */
export function formatCommand(verb: string, ...args: string[]): Uint8Array {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(verb)) {
    checkText(verb, 'The SMTP command verb');
    throw new SmtpInputError(`The SMTP command verb ${quoteValue(verb)} is not a word.`);
  }
  args.forEach((arg, index) => checkText(arg, `Argument ${index + 1} of ${verb}`));
  return encodeLine([verb, ...args].join(' '), MAX_COMMAND_LENGTH, `The ${verb} command`);
}

/**
 * A SASL response line sent after a 334 challenge (RFC 4954 4): base64 text, possibly empty,
 * or `*` to cancel. It has no verb, so it cannot go through `formatCommand`.
 */
export function formatSaslResponse(response: string): Uint8Array {
  checkText(response, 'The SASL response');
  return encodeLine(response, MAX_SASL_RESPONSE_LENGTH, 'The SASL response');
}

/**
 * RFC 3461 4: xtext. Octets outside `!`..`~`, and `+` and `=`, become `+HH`. xtext carries
 * US-ASCII only, so a non-ASCII value is refused rather than given a meaning it does not have.
 */
export function encodeXtext(value: string): string {
  let encoded = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0x7f) {
      throw new SmtpInputError(
        `${quoteValue(value)} contains non-ASCII characters, which xtext (RFC 3461 4) ` +
          'cannot carry; leave the DSN parameter out for this address.',
      );
    }
    const plain = code >= 0x21 && code <= 0x7e && char !== '+' && char !== '=';
    encoded += plain ? char : `+${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

function checkDomainArgument(name: string, verb: string): void {
  if (name === '' || /\s/.test(name)) {
    throw new SmtpInputError(
      `The ${verb} name ${quoteValue(name)} must be a domain or an address literal ` +
        'without spaces.',
    );
  }
}

function checkPath(path: string, what: string): void {
  if (/[<>]/.test(path)) {
    throw new SmtpInputError(
      `The ${what} ${quoteValue(path)} must be a bare mailbox, without angle brackets.`,
    );
  }
}

export function ehloCommand(name: string): Uint8Array {
  checkDomainArgument(name, 'EHLO');
  return formatCommand('EHLO', name);
}

export function heloCommand(name: string): Uint8Array {
  checkDomainArgument(name, 'HELO');
  return formatCommand('HELO', name);
}

function formatMailParameters(params: MailParameters): string[] {
  const args: string[] = [];
  if (params.size !== undefined) {
    if (!Number.isSafeInteger(params.size) || params.size < 0) {
      throw new SmtpInputError(`SIZE must be a whole number of octets, not ${params.size}.`);
    }
    args.push(`SIZE=${params.size}`);
  }
  if (params.body !== undefined) args.push(`BODY=${checkOneOf(params.body, bodyTypes, 'BODY')}`);
  if (params.smtpUtf8 === true) args.push('SMTPUTF8');
  if (params.ret !== undefined) args.push(`RET=${checkOneOf(params.ret, dsnReturns, 'RET')}`);
  if (params.envId !== undefined) {
    // RFC 3461 4.4: at most 100 characters, before xtext encoding.
    if (params.envId === '' || params.envId.length > 100) {
      throw new SmtpInputError('ENVID must be 1 to 100 characters long (RFC 3461 4.4).');
    }
    args.push(`ENVID=${encodeDsnText(params.envId, 'ENVID')}`);
  }
  return args;
}

/** `MAIL FROM:<reverse-path>`; an empty reverse path (`<>`) is a null sender (RFC 5321 4.5.5). */
export function mailCommand(reversePath: string, params: MailParameters = {}): Uint8Array {
  checkPath(reversePath, 'sender address');
  return formatCommand('MAIL', `FROM:<${reversePath}>`, ...formatMailParameters(params));
}

function formatNotify(notify: RcptParameters['notify']): string[] {
  if (notify === undefined) return [];
  if (notify === 'NEVER') return ['NOTIFY=NEVER'];
  // RFC 3461 4.1: NEVER alone, or a list of one or more of SUCCESS, FAILURE and DELAY.
  if (!Array.isArray(notify) || notify.length === 0) {
    throw new SmtpInputError('NOTIFY needs at least one of SUCCESS, FAILURE or DELAY, or NEVER.');
  }
  const events = [...new Set(notify.map((event) => checkOneOf(event, notifyEvents, 'NOTIFY')))];
  return [`NOTIFY=${events.join(',')}`];
}

/** `RCPT TO:<forward-path>` with the DSN parameters given. */
export function rcptCommand(forwardPath: string, params: RcptParameters = {}): Uint8Array {
  checkPath(forwardPath, 'recipient address');
  if (forwardPath === '') {
    throw new SmtpInputError('A recipient address may not be empty.');
  }
  // RFC 3461 4.2: the xtext after `rfc822;` is the original recipient's address, so not empty.
  if (params.orcpt === '') {
    throw new SmtpInputError(
      'ORCPT needs the original recipient address; leave it out if unknown.',
    );
  }
  const orcpt =
    params.orcpt === undefined ? [] : [`ORCPT=rfc822;${encodeDsnText(params.orcpt, 'ORCPT')}`];
  return formatCommand('RCPT', `TO:<${forwardPath}>`, ...formatNotify(params.notify), ...orcpt);
}

export function startTlsCommand(): Uint8Array {
  return formatCommand('STARTTLS');
}

export function dataCommand(): Uint8Array {
  return formatCommand('DATA');
}

export function rsetCommand(): Uint8Array {
  return formatCommand('RSET');
}

export function quitCommand(): Uint8Array {
  return formatCommand('QUIT');
}

export function noopCommand(): Uint8Array {
  return formatCommand('NOOP');
}

import type { Reply } from './reply.js';
import { formatReply } from './reply-text.js';
import type { TranscriptEntry } from './transcript.js';

/** Where in the session a failure happened; names the step a user can act on. */
export type SmtpPhase =
  | 'input'
  | 'connect'
  | 'greeting'
  | 'ehlo'
  | 'starttls'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data'
  | 'message'
  | 'quit';

/**
 * Whether the message may have reached its recipients when a send failed. `unknown` means the
 * connection broke after the final dot was written, before the server answered: the server may
 * have accepted it (RFC 5321 4.5.3.2.6), so retrying could deliver it twice. `partial` means an
 * earlier transaction of the same send (after a 452 split) was delivered.
 */
export type DeliveryOutcome = 'not-delivered' | 'unknown' | 'partial';

export interface SmtpErrorDetails {
  phase: SmtpPhase;
  /** The command as it was sent, with secrets redacted (e.g. `AUTH PLAIN [redacted]`). */
  command?: string;
  /** The reply that caused the failure, already redacted. */
  reply?: Reply;
  /** True when trying again later may succeed (4yz replies, timeouts, dropped connections). */
  transient?: boolean;
  cause?: unknown;
}

/**
 * Base of every error the client throws. It carries the evidence: the phase, the command, the
 * reply code, the RFC 3463 enhanced code and the server's lines.
 */
export class SmtpError extends Error {
  override readonly name: string = 'SmtpError';
  readonly phase: SmtpPhase;
  readonly command: string | undefined;
  readonly reply: Reply | undefined;
  readonly transient: boolean;
  /** Set by the transaction when it knows more than "nothing was delivered". */
  outcome: DeliveryOutcome = 'not-delivered';
  /** Recipients an earlier transaction of this send delivered to (`outcome: 'partial'`). */
  delivered: readonly string[] = [];
  /**
   * Recipients the server refused, each with its reply. For SmtpRecipientsError, every
   * recipient (nobody was accepted); for any other failure of a send, every refusal the session
   * heard before it failed, in earlier transactions and in the failing one, whatever the
   * outcome: no other report names them.
   */
  rejected: readonly RecipientReply[] = [];
  /** The redacted conversation up to the failure, for a debug log (set by sendMail). */
  transcript: readonly TranscriptEntry[] = [];

  constructor(message: string, details: SmtpErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.phase = details.phase;
    this.command = details.command;
    this.reply = details.reply;
    this.transient = details.transient ?? false;
  }

  get code(): number | undefined {
    return this.reply?.code;
  }

  get enhancedCode(): string | undefined {
    return this.reply?.enhancedCode;
  }

  get isTransient(): boolean {
    return this.transient;
  }

  get isPermanent(): boolean {
    return !this.transient;
  }
}

/**
 * Bad options or message given to the client; raised before any connection is opened, or, for
 * what only the server's EHLO reveals (a SIZE limit, no SMTPUTF8), before MAIL (phase `mail`).
 */
export class SmtpInputError extends SmtpError {
  override readonly name = 'SmtpInputError';
  constructor(message: string, cause?: unknown, phase: SmtpPhase = 'input') {
    super(message, { phase, cause });
  }
}

/** The server answered with a code the client did not expect at this step. */
export class SmtpReplyError extends SmtpError {
  override readonly name: string = 'SmtpReplyError';
}

/** One recipient and what the server answered to its RCPT TO. */
export interface RecipientReply {
  address: string;
  reply: Reply;
}

/** No recipient was accepted, so nothing was delivered; `rejected` names each with its reply. */
export class SmtpRecipientsError extends SmtpReplyError {
  override readonly name = 'SmtpRecipientsError';
}

/** The server broke the protocol: malformed or oversized reply, bytes where none may be. */
export class SmtpProtocolError extends SmtpError {
  override readonly name = 'SmtpProtocolError';
}

/** The TCP connection failed, was closed, or a proxy refused the tunnel. */
export class SmtpConnectionError extends SmtpError {
  override readonly name = 'SmtpConnectionError';
}

/** A step took longer than its timeout, or the overall deadline passed. */
export class SmtpTimeoutError extends SmtpError {
  override readonly name = 'SmtpTimeoutError';
  get isTimeout(): boolean {
    return true;
  }
}

/** TLS could not be established or verified, or STARTTLS was required but not available. */
export class SmtpTlsError extends SmtpError {
  override readonly name = 'SmtpTlsError';
}

/** Authentication failed or could not be attempted safely. */
export class SmtpAuthError extends SmtpError {
  override readonly name = 'SmtpAuthError';
}

/** What a step accepts: a whole code (`250`) or a class prefix (`'2'` means any 2yz). */
export type ExpectedCode = number | '2' | '3';

function matches(code: number, expected: ExpectedCode): boolean {
  return typeof expected === 'number' ? code === expected : String(code)[0] === expected;
}

/**
 * The one place where a reply is compared with what a step expected (see STYLE.md). Returns
 * the reply when it matches, otherwise throws an error naming the command and quoting the
 * server. A 4yz reply (and 421 in particular) is transient; 5yz is permanent.
 */
export function expectReply(
  reply: Reply,
  expected: ExpectedCode | readonly ExpectedCode[],
  context: {
    phase: SmtpPhase;
    command: string;
    errorType?: new (message: string, details: SmtpErrorDetails) => SmtpError;
  },
): Reply {
  const accepted: readonly ExpectedCode[] = Array.isArray(expected) ? expected : [expected];
  if (accepted.some((code) => matches(reply.code, code))) return reply;
  const ErrorType = context.errorType ?? SmtpReplyError;
  throw new ErrorType(`${context.command} failed: the server replied ${formatReply(reply)}`, {
    phase: context.phase,
    command: context.command,
    reply,
    transient: reply.code >= 400 && reply.code < 500,
  });
}

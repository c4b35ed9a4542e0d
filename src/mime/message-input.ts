/**
 * The shapes that go into and come out of `composeMessage`: what a caller describes, and the
 * bytes plus SMTP envelope it gets back.
 */

/** A file attached to the message, shown by mail readers as a download. */
export interface AttachmentInput {
  /** The name the recipient sees; de-duplicated (`report (2).pdf`) if given twice. */
  filename: string;
  content: Uint8Array;
  /** `type/subtype`; looked up from the file name's extension when absent. */
  contentType?: string;
}

/** A part the HTML body refers to as `cid:<contentId>`, typically an image. */
export interface InlineInput {
  /** The id used in the HTML, without angle brackets: `logo` for `<img src="cid:logo">`. */
  contentId: string;
  content: Uint8Array;
  filename?: string;
  contentType?: string;
}

/** A message as a user describes it; address fields are lists as a user types them. */
export interface MessageInput {
  from: string;
  to?: string;
  cc?: string;
  /** Recipients that receive the message but appear in no header. */
  bcc?: string;
  replyTo?: string;
  subject?: string;
  /** Plain-text body; an explicit empty string is a valid (empty) body. */
  text?: string;
  html?: string;
  attachments?: readonly AttachmentInput[];
  inline?: readonly InlineInput[];
  /** Extra header fields, `[name, value]`; structural fields are refused. */
  headers?: readonly (readonly [string, string])[];
  priority?: 'high' | 'normal' | 'low';
  /** A message-id, `<id@domain>`, of the message this one answers. */
  inReplyTo?: string;
  references?: readonly string[];
  /** Domain for the generated Message-ID; defaults to the From address's domain. */
  messageIdDomain?: string;
}

/** Sources of time and randomness, injected so that tests get identical bytes every run. */
export interface ComposeOptions {
  now?: () => Date;
  randomBytes?: (size: number) => Uint8Array;
}

export interface ComposedMessage {
  /** The whole message, CRLF line endings, ready for SMTP DATA (before dot-stuffing). */
  bytes: Uint8Array;
  /** Exact length of `bytes` in octets, for the SMTP SIZE parameter (RFC 1870). */
  size: number;
  /** The Message-ID header value, angle brackets included. */
  messageId: string;
  envelope: {
    /** Reverse-path address (RFC 5321 MAIL FROM). */
    from: string;
    /** To, Cc and Bcc addresses, each once, in the order given. */
    to: string[];
    /** True when an address needs SMTPUTF8 (RFC 6531); headers then carry raw UTF-8. */
    smtpUtf8: boolean;
  };
  /** Bodies are always encoded to 7 bits, so 8BITMIME (RFC 6152) is never needed. */
  eightBit: false;
}

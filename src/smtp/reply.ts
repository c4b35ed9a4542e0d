/**
 * An SMTP reply (RFC 5321 4.2): a three-digit code and one or more lines of text. When the
 * server uses RFC 3463 enhanced status codes, the code is parsed out of the first line and the
 * lines keep their full text.
 */
export interface Reply {
  code: number;
  /** `class.subject.detail`, e.g. `5.1.1`, when the first line starts with one. */
  enhancedCode?: string;
  /** The text of each line, without the code and separator; may be empty. */
  lines: string[];
}

/**
 * Raised when a message cannot be composed as described: a malformed address, a header value
 * that would break out of its line, a name that is not a valid header name. The message names
 * the field and the offending entry so a user can fix the workflow input.
 */
export class MimeInputError extends Error {
  override readonly name = 'MimeInputError';
  /** The field the bad value was given for, e.g. `to`, `subject`, `headers`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

import type { MimeInputError } from '../mime/index.js';

/**
 * A workflow input that cannot be used as given. The message starts with the input's name and
 * says what is accepted, because the person reading it is editing a `with:` block:
 * `Input "retries": "two" is not a whole number from 0 to 10.`
 *
 * Messages never quote a secret input (password, connection-url, proxy): those are masked in
 * the log, but an error can travel further than the log (a job summary, an issue report).
 */
export class ActionInputError extends Error {
  override readonly name = 'ActionInputError';
  /** The input's name as written in the workflow, e.g. `retries`, `tls-verify`. */
  readonly input: string;

  constructor(input: string, detail: string) {
    super(`Input "${input}": ${detail}`);
    this.input = input;
  }
}

/**
 * The composer's refusal under the input a workflow sets. MimeInputError reads
 * `<field>: <why>`; the field is the composer's name (`replyTo`), so only the why is kept.
 */
export function fromMimeInputError(error: MimeInputError, input: string): ActionInputError {
  const prefix = `${error.field}: `;
  const why = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new ActionInputError(input, why);
}

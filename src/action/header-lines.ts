/**
 * The `headers` input: extra header fields, one `Name: value` per line, e.g.
 *
 *     headers: |
 *       X-Build: ${{ github.run_number }}
 *       List-Id: CI <ci.example.com>
 *
 * Each line is checked here so an error can name its line; the composer checks the value again
 * (no line breaks, encoding) when it writes the field.
 */
import { ActionInputError } from './action-input-error.js';
import { Inputs } from './constants.js';

// RFC 5322 3.6.8: field-name = 1*ftext, ftext = %d33-57 / %d59-126 (printable ASCII but ':').
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * Fields the action writes itself, with the input that sets each. Setting one through `headers`
 * would duplicate or contradict it. Content-* fields are the composer's too.
 */
const SET_ELSEWHERE: ReadonlyMap<string, string> = new Map([
  ['from', 'the from input'],
  ['to', 'the to input'],
  ['cc', 'the cc input'],
  ['bcc', 'the bcc input'],
  ['reply-to', 'the reply-to input'],
  ['subject', 'the subject input'],
  ['in-reply-to', 'the in-reply-to input'],
  ['references', 'the in-reply-to or thread input'],
  ['x-priority', 'the priority input'],
  ['importance', 'the priority input'],
  ['date', 'the action, from the clock'],
  ['message-id', 'the action (a random id)'],
  ['mime-version', 'the action'],
  ['auto-submitted', 'the action (auto-generated, RFC 3834)'],
  ['sender', 'the from input'],
  ['return-path', 'the receiving server'],
  ['received', 'the servers the message passes through'],
]);

/** Parses `Name: value` lines; blank lines are skipped, every other line must be a field. */
export function parseHeaderLines(text: string): [string, string][] {
  const headers: [string, string][] = [];
  for (const [index, line] of text.split(/\r\n|\r|\n/).entries()) {
    if (line.trim() === '') continue;
    const fail = (why: string): never => {
      throw new ActionInputError(Inputs.headers, `line ${index + 1}: ${why}`);
    };
    const colon = line.indexOf(':');
    if (colon === -1) fail(`${JSON.stringify(line.trim())} has no colon: write "Name: value".`);
    const name = line.slice(0, colon).trim();
    if (!FIELD_NAME.test(name)) {
      fail(
        `${JSON.stringify(name)} is not a header field name: printable ASCII without spaces or ` +
          'colons (RFC 5322 3.6.8), e.g. X-Build.',
      );
    }
    const key = name.toLowerCase();
    const owner = key.startsWith('content-') ? 'the action' : SET_ELSEWHERE.get(key);
    if (owner !== undefined) fail(`the ${name} header is set by ${owner}, not by headers.`);
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return headers;
}

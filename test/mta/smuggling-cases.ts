/**
 * The bodies of the SMTP smuggling tests (CVE-2023-51764/5/6): each holds a line-ending or
 * end-of-data look-alike, followed by the commands of a second message, as an attacker who
 * controls a body would write them. Sent unchanged (no line-ending normalisation, no
 * dot-stuffing), each fails at Postfix in one of three ways the tests see: a bare LF is refused
 * (`smtpd_forbid_bare_newline = reject`, 550 5.5.2), a bare CR is accepted and stored as is
 * (content differs), and `<CRLF>.<CRLF>` ends the data, so the smuggled message is delivered to
 * the `other` mailbox. A server that took a bare `<LF>.<LF>` as the end of data would deliver
 * it too.
 */

export interface SmugglingCase {
  name: string;
  /** The text, HTML and raw body content, exactly as a caller hands it over. */
  bodyFor: (token: string) => string;
}

/** Line endings of every kind (CRLF, lone CR, lone LF): the pattern both normalisations use. */
const ANY_LINE_ENDING = /\r\n|\r|\n/g;

/**
 * What a second message smuggled after `separator` looks like, its lines ended with `eol`. Its
 * recipient is the `other` mailbox, so a smuggled delivery cannot hide behind the real one.
 */
function smuggledMessage(separator: string, eol: string, token: string): string {
  return [
    `first message ${token}`,
    separator,
    `MAIL FROM:<smuggler@smtp-notify.test>${eol}`,
    `RCPT TO:<other@smtp-notify.test>${eol}`,
    `DATA${eol}`,
    `From: <smuggler@smtp-notify.test>${eol}`,
    `Subject: smuggled ${token}${eol}`,
    eol,
    `smuggled body ${token}${eol}`,
    `.${eol}`,
    `last line of the first message`,
  ].join('');
}

/** The separators of the issue, each with the line ending its smuggled commands use. */
const separators: readonly { name: string; separator: string; eol: string }[] = [
  { name: 'LF . LF', separator: '\n.\n', eol: '\n' },
  { name: 'LF . CRLF', separator: '\n.\r\n', eol: '\r\n' },
  { name: 'CRLF . LF', separator: '\r\n.\n', eol: '\n' },
  { name: 'CR . CR', separator: '\r.\r', eol: '\r' },
  {
    name: 'CRLF . CRLF (a second message after a real end of data)',
    separator: '\r\n.\r\n',
    eol: '\r\n',
  },
  { name: 'lone CR', separator: '\r', eol: '\r' },
  { name: 'lone LF', separator: '\n', eol: '\n' },
];

/** Every case; `bodyFor(token)` puts the token in the body, so its deliveries can be found. */
export const smugglingCases: readonly SmugglingCase[] = [
  ...separators.map(({ name, separator, eol }) => ({
    name,
    bodyFor: (token: string) => smuggledMessage(separator, eol, token),
  })),
  {
    name: 'all of them at once',
    bodyFor: (token: string) =>
      separators.map(({ separator }) => `x${separator}`).join('') +
      smuggledMessage('\r\n.\r\n', '\r\n', token),
  },
];

/**
 * The text a reader gets back from a composed body: composeMessage turns every line ending
 * (CRLF, lone CR, lone LF) into one CRLF (RFC 2045 6.7 rule 4, RFC 2046 4.1.1), and mailparser
 * hands text and HTML back with LF endings. So each CR, LF or CRLF of the input is one LF, and
 * every dot stays where it was: the dot-stuffing on the wire is undone by Postfix.
 */
export function asReadBack(body: string): string {
  return body.replace(ANY_LINE_ENDING, '\n');
}

/**
 * The message the SMTP client puts on the wire for raw bytes, before dot-stuffing: its DATA
 * encoder makes every line ending (CRLF, lone CR, lone LF) one CRLF (RFC 5321 2.3.8, 4.1.1.4),
 * which is also what Postfix stores (with LF) in the Maildir.
 */
export function asWireText(message: string): string {
  return message.replace(ANY_LINE_ENDING, '\r\n');
}

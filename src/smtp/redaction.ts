import { SmtpError } from './errors.js';
import type { Reply } from './reply.js';
import type { Transcript } from './transcript.js';

/** What stands in a transcript, error or reply where a secret was. */
export const redactedMark = '[redacted]';

/**
 * A secret shorter than this (in characters) is masked only as a whole token: a one-letter
 * password masked everywhere would cut that letter out of every word ("check the host and
 * [redacted]ort") and leave no transcript readable. Every base64 form is longer.
 */
const wholeTokenBelow = 4;

/** Letters (with their combining marks) and digits: what a word is made of, in any script. */
const wordCharacter = '[\\p{L}\\p{M}\\p{N}]';

/**
 * Replaces each secret in `text` with `[redacted]`, longest first, so that a whole blob is
 * masked before a fragment of it could leave the rest readable. A secret of 4 characters or more
 * is masked wherever it occurs; a shorter one where it stands as a whole token, between the
 * ends of the text or characters that are not letters or digits, which is how a server that
 * echoes it quotes it (`password p rejected`, `pass=p`).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const ordered = secrets.filter((secret) => secret !== '').sort((a, b) => b.length - a.length);
  return ordered.reduce((result, secret) => {
    if ([...secret].length >= wholeTokenBelow) return result.split(secret).join(redactedMark);
    return result.replace(wholeToken(secret), redactedMark);
  }, text);
}

/** Matches `secret` only where no letter or digit touches it on either side. */
function wholeToken(secret: string): RegExp {
  // With the `u` flag only syntax characters may be escaped.
  const literal = secret.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  return new RegExp(`(?<!${wordCharacter})${literal}(?!${wordCharacter})`, 'gu');
}

/** A cause chain longer than this is not ours; stop rather than loop on a cycle. */
const maxCauseDepth = 8;

/**
 * Masks every secret the transcript knows in a reply's lines, in place: the same reply object
 * can sit in an error, a result and a list of refused recipients, and all must be clean.
 */
export function redactReply(reply: Reply | undefined, transcript: Transcript): void {
  if (reply === undefined) return;
  reply.lines.forEach((line, index) => (reply.lines[index] = transcript.redact(line)));
}

/**
 * The last line of defence before a failure leaves the client: servers echo what they were
 * given (RFC 4954 gives them no rule against it), in a refusal long after AUTH or in a reply
 * too malformed to parse, so the message, the quoted reply, the refused recipients' replies and
 * every cause are masked with every form of the password the transcript was told about.
 */
export function redactFailure(error: unknown, transcript: Transcript): void {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < maxCauseDepth; depth += 1) {
    current.message = transcript.redact(current.message);
    // Set after the message: V8 builds `stack` on first read, from the message at that time.
    if (typeof current.stack === 'string') current.stack = transcript.redact(current.stack);
    if (current instanceof SmtpError) {
      redactReply(current.reply, transcript);
      for (const refused of current.rejected) redactReply(refused.reply, transcript);
    }
    current = current.cause;
  }
}

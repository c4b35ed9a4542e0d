/**
 * Hiding known strings in text the action passes on (a Bcc address in a server reply, the host
 * of a connection URL in an error): each occurrence, in any letter case, is replaced by a mark,
 * because servers and resolvers change the case of what they echo.
 */

/**
 * `text` with every occurrence of each literal replaced by `mark`, case-insensitively. Longer
 * literals are tried first where two start alike, so that `ops@example.com` cannot leave the
 * tail of `ops@example.com.au` readable.
 */
export function replaceLiterals(text: string, literals: readonly string[], mark: string): string {
  const wanted = [...new Set(literals)].filter((literal) => literal !== '');
  if (wanted.length === 0) return text;
  wanted.sort((a, b) => b.length - a.length);
  const pattern = wanted.map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.replace(new RegExp(pattern.join('|'), 'gi'), () => mark);
}

/**
 * SASLprep (RFC 4013), the string preparation SCRAM applies to the username and password
 * (RFC 5802 2.2) so that the client and the server hash the same bytes for the same text.
 *
 * What is done: the mapping of RFC 4013 2.1 (non-ASCII spaces to U+0020, "commonly mapped to
 * nothing" characters removed), NFKC normalisation (2.2), and refusal of the prohibited output
 * of 2.3 (controls, private use, non-characters, surrogates, the characters inappropriate for
 * plain text or canonical representation, change-display and tagging characters). What is not:
 * the bidirectional check of 2.4 (JavaScript regular expressions cannot test Bidi_Class) and the
 * refusal of code points unassigned in Unicode 3.2 (2.5 allows them in queries, which is what a
 * client's credentials are).
 */

// RFC 3454 C.1.2: non-ASCII space characters, mapped to SPACE by RFC 4013 2.1.
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g;

// RFC 3454 B.1: characters commonly mapped to nothing. Some are combining marks; each is meant
// as a code point of its own, which is what the lint rule below cannot tell.
const MAPPED_TO_NOTHING =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/g;

// RFC 3454 C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9, as RFC 4013 2.3 lists them.
// \p{Cc} covers the ASCII and C1 controls, \p{Co} private use, \p{Cs} lone surrogates.
const PROHIBITED = new RegExp(
  [
    '[\\p{Cc}\\p{Co}\\p{Cs}]',
    '[\\u00a0\\u1680\\u2000-\\u200b\\u202f\\u205f\\u3000]',
    '[\\u06dd\\u070f\\u180e\\u200c-\\u200f\\u2028-\\u202e\\u2060-\\u2063\\u206a-\\u206f]',
    '[\\u0340\\u0341\\u2ff0-\\u2ffb\\ufeff\\ufff9-\\ufffd\\ufdd0-\\ufdef]',
    '[\\u{1d173}-\\u{1d17a}\\u{e0001}\\u{e0020}-\\u{e007f}]',
    // Non-characters: U+FFFE and U+FFFF in every plane.
    '[\\ufffe\\uffff\\u{1fffe}\\u{1ffff}\\u{2fffe}\\u{2ffff}\\u{3fffe}\\u{3ffff}\\u{4fffe}\\u{4ffff}]',
    '[\\u{5fffe}\\u{5ffff}\\u{6fffe}\\u{6ffff}\\u{7fffe}\\u{7ffff}\\u{8fffe}\\u{8ffff}]',
    '[\\u{9fffe}\\u{9ffff}\\u{afffe}\\u{affff}\\u{bfffe}\\u{bffff}\\u{cfffe}\\u{cffff}]',
    '[\\u{dfffe}\\u{dffff}\\u{efffe}\\u{effff}\\u{ffffe}\\u{fffff}\\u{10fffe}\\u{10ffff}]',
  ].join('|'),
  'u',
);

/**
 * Prepares `value` by RFC 4013, or returns `undefined` when it holds a prohibited character.
 * The caller words the error, because only it knows whether the value is secret.
 */
export function prepareSaslString(value: string): string | undefined {
  const mapped = value.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '');
  const normalized = mapped.normalize('NFKC');
  return PROHIBITED.test(normalized) ? undefined : normalized;
}

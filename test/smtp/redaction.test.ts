// How a secret is found in text. A secret of 4 characters or more is masked wherever it occurs; a
// shorter one only as a whole token, or a one-letter password would cut that letter out of every
// word of a transcript or an error message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/smtp/redaction.js';

describe('redactSecrets with a secret shorter than 4 characters', () => {
  it('masks it as a whole token, at the ends of the text and between any non-word characters', () => {
    const text = 'p port (p) x-p "p", help=p p';
    expect(redactSecrets(text, ['p'])).toBe(
      '[redacted] port ([redacted]) x-[redacted] "[redacted]", help=[redacted] [redacted]',
    );
  });

  it('leaves it inside words and numbers, in any script', () => {
    const text = 'pp p2 2p apple Ǉp pǉ pé ñp';
    expect(redactSecrets(text, ['p'])).toBe(text);
    // A combining mark belongs to the letter before it: "e" plus U+0301 is one letter.
    expect(redactSecrets('cafe\u0301 e\u0301', ['e'])).toBe('cafe\u0301 e\u0301');
    expect(redactSecrets('abcd abc xabc', ['abc'])).toBe('abcd [redacted] xabc');
  });

  it('masks a short secret of punctuation only where it stands alone', () => {
    expect(redactSecrets('a!!b !! c:!!', ['!!'])).toBe('a!!b [redacted] c:[redacted]');
  });

  it('treats regular expression syntax in a secret as plain text', () => {
    expect(redactSecrets('abc .* a.b', ['.*'])).toBe('abc [redacted] a.b');
    expect(redactSecrets('a\\b (x) $1', ['$1', '(x)'])).toBe('a\\b [redacted] [redacted]');
  });

  it('never cuts into the mark a longer secret left', () => {
    expect(redactSecrets('hunter2 e', ['e', 'hunter2'])).toBe('[redacted] [redacted]');
    expect(redactSecrets('hunter2 act', ['act', 'hunter2'])).toBe('[redacted] [redacted]');
  });

  it('agrees with splitting the text into words (property)', () => {
    const word = /([\p{L}\p{M}\p{N}]+)/u;
    const secret = fc.string({ unit: fc.constantFrom('a', 'b', '1'), minLength: 1, maxLength: 3 });
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '1', ' ', '-', '\u0301', 'é') });
    fc.assert(
      fc.property(secret, text, (short, input) => {
        const expected = input
          .split(word)
          .map((part) => (part === short ? '[redacted]' : part))
          .join('');
        expect(redactSecrets(input, [short])).toBe(expected);
      }),
    );
  });
});

describe('redactSecrets with a secret of 4 characters or more', () => {
  it('masks it anywhere, also inside a word', () => {
    expect(redactSecrets('password xpassx pass', ['pass'])).toBe(
      '[redacted]word x[redacted]x [redacted]',
    );
  });
});

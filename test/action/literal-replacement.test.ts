import { describe, expect, it } from 'vitest';
import { replaceLiterals } from '../../src/action/literal-replacement.js';

describe('replaceLiterals', () => {
  it('replaces every occurrence in any letter case', () => {
    expect(
      replaceLiterals('To <Boss@Example.com>, boss@example.COM', ['boss@example.com'], '[x]'),
    ).toBe('To <[x]>, [x]');
  });

  it('replaces the longer of two literals that start alike, leaving no tail readable', () => {
    const text = 'refused ops@example.com.au and ops@example.com';
    expect(replaceLiterals(text, ['ops@example.com', 'ops@example.com.au'], '[x]')).toBe(
      'refused [x] and [x]',
    );
    expect(replaceLiterals('at [2001:db8::1]:25', ['2001:db8::1', '[2001:db8::1]'], 'H')).toBe(
      'at H:25',
    );
  });

  it('takes regex characters and $ in the mark literally, and ignores empty literals', () => {
    expect(replaceLiterals('a.b axb (a.b)', ['a.b', ''], '$&')).toBe('$& axb ($&)');
    expect(replaceLiterals('unchanged', [], 'x')).toBe('unchanged');
  });
});

import libmime from 'libmime';
import { describe, expect, it } from 'vitest';
import { encodeWords, needsEncoding } from '../../src/mime/encoded-word.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Decodes the words as a header would carry them: separated by single spaces. */
function decode(words: readonly string[]): string {
  return libmime.decodeWords(words.join(' '));
}

/** String offsets where one grapheme cluster of `text` ends and the next begins. */
function graphemeBoundaries(text: string): Set<number> {
  const boundaries = new Set([text.length]);
  for (const { index } of graphemes.segment(text)) boundaries.add(index);
  return boundaries;
}

/** Checks each word on its own: at most 75 characters, whole UTF-8, whole grapheme clusters. */
function expectWellFormed(text: string, words: readonly string[]): void {
  const boundaries = graphemeBoundaries(text);
  let offset = 0;
  for (const word of words) {
    expect(word.length).toBeLessThanOrEqual(75);
    expect(word).toMatch(/^=\?UTF-8\?[QB]\?[\x21-\x3e\x40-\x7e]*\?=$/);
    const piece = libmime.decodeWords(word);
    expect(piece).not.toContain('\ufffd');
    offset += piece.length;
    expect(boundaries.has(offset)).toBe(true);
  }
  expect(decode(words)).toBe(text);
}

describe('encodeWords', () => {
  it('returns no words for empty text', () => {
    expect(encodeWords('', 'text')).toEqual([]);
  });

  it('writes space as _ and leaves safe ASCII readable in text context', () => {
    expect(encodeWords('Hello, world (ok)', 'text')).toEqual(['=?UTF-8?Q?Hello,_world_(ok)?=']);
  });

  it('encodes ?, = and _ in text context (RFC 2047 4.2)', () => {
    expect(encodeWords('what? x=1 and y_2 ok', 'text')).toEqual([
      '=?UTF-8?Q?what=3F_x=3D1_and_y=5F2_ok?=',
    ]);
  });

  it('leaves only A-Za-z0-9!*+-/ unencoded in phrase context (RFC 2047 5(3))', () => {
    expect(encodeWords("Mr. O'Neil", 'phrase')).toEqual(['=?UTF-8?Q?Mr=2E_O=27Neil?=']);
    expect(encodeWords('a!*+-/b', 'phrase')).toEqual(['=?UTF-8?Q?a!*+-/b?=']);
    expect(encodeWords("Mr. O'Neil", 'text')).toEqual(["=?UTF-8?Q?Mr._O'Neil?="]);
  });

  it('encodes controls and tab in either context', () => {
    expect(encodeWords('abc\tdef', 'text')).toEqual(['=?UTF-8?Q?abc=09def?=']);
    expect(encodeWords('line one\r\nline two', 'phrase')).toEqual([
      '=?UTF-8?Q?line_one=0D=0Aline_two?=',
    ]);
  });

  it('chooses Q when it is shorter and B when it is shorter', () => {
    // Q: 23 characters against B: 28.
    expect(encodeWords('Keld Jørn Simonsen', 'phrase')).toEqual([
      '=?UTF-8?Q?Keld_J=C3=B8rn_Simonsen?=',
    ]);
    // Q: 27 characters against B: 12.
    expect(encodeWords('日本語', 'text')).toEqual(['=?UTF-8?B?5pel5pys6Kqe?=']);
  });

  it('encodes U+760D and U+760A as UTF-8, never as a bare CR or LF byte', () => {
    const words = encodeWords('\u760d\u760a', 'text');
    expect(words).toEqual(['=?UTF-8?B?55iN55iK?=']);
    expect(Buffer.from(words.join(' ')).includes(0x0d)).toBe(false);
    expect(decode(words)).toBe('\u760d\u760a');
  });

  it('turns literal encoded-word text into a word that decodes to that literal text', () => {
    const literal = '=?UTF-8?Q?=0D=0ABcc:_x?=';
    const words = encodeWords(literal, 'text');
    expect(words).toEqual(['=?UTF-8?B?PT9VVEYtOD9RPz0wRD0wQUJjYzpfeD89?=']);
    expect(decode(words)).toBe(literal);
  });

  // RFC 2047 section 8: our encoding of the texts its examples decode to must decode back.
  it.each([
    ['=?US-ASCII?Q?Keith_Moore?=', 'Keith Moore'],
    ['=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=', 'Keld Jørn Simonsen'],
    ['=?ISO-8859-1?Q?Andr=E9?= Pirard', 'André Pirard'],
    [
      '=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= ' +
        '=?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=',
      'If you can read this you understand the example.',
    ],
    ['=?ISO-8859-1?Q?Olle_J=E4rlv?=', 'Olle Järlv'],
    ['=?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?=', 'Patrik Fältström'],
    ['=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=', 'םולש ןב ילטפנ'],
    ['=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=', 'ab'],
    ['=?ISO-8859-1?Q?a_b?=', 'a b'],
    ['=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=', 'a b'],
  ])('round-trips the RFC 2047 example %s', (example, text) => {
    expect(libmime.decodeWords(example)).toBe(text);
    for (const context of ['text', 'phrase'] as const) {
      const words = encodeWords(text, context);
      expectWellFormed(text, words);
    }
  });

  it('writes the RFC 2047 examples as Q or B, whichever is shorter', () => {
    expect(encodeWords('André Pirard', 'phrase')).toEqual(['=?UTF-8?Q?Andr=C3=A9_Pirard?=']);
    expect(encodeWords('םולש ןב ילטפנ', 'text')).toEqual([
      '=?UTF-8?B?153Xldec16kg15/XkSDXmdec15jXpNeg?=',
    ]);
  });

  it.each([
    ['Latin', 'Überprüfung der Änderungen für die nächste Veröffentlichung ist fehlgeschlagen'],
    ['Cyrillic', 'Сборка завершилась с ошибкой на шаге развёртывания в промышленную среду'],
    ['Greek', 'Η κατασκευή απέτυχε κατά τη διάρκεια της δοκιμής ενσωμάτωσης του κώδικα'],
    ['CJK', '部署失败：生产环境中的集成测试未通过，请检查最近的提交并重新运行工作流程'],
    [
      'Japanese',
      'ビルドが失敗しました。最新のコミットを確認して、ワークフローを再実行してください',
    ],
    ['Arabic', 'فشل البناء أثناء اختبار التكامل، يرجى مراجعة آخر التغييرات وإعادة التشغيل'],
    ['Hindi', 'निर्माण विफल रहा, कृपया नवीनतम परिवर्तनों की जाँच करें और फिर से चलाएँ'],
    ['Thai', 'การสร้างล้มเหลวระหว่างการทดสอบ กรุณาตรวจสอบการเปลี่ยนแปลงล่าสุดแล้วลองใหม่'],
  ])('splits a long %s text into words of at most 75 characters', (_script, text) => {
    const long = `${text} ${text}`;
    const words = encodeWords(long, 'text');
    expect(words.length).toBeGreaterThan(2);
    expectWellFormed(long, words);
  });

  it('never splits an emoji with a skin-tone modifier or a ZWJ sequence', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
    const text = `${'\u{1F44D}\u{1F3FD}'.repeat(7)}${family.repeat(4)}\u{1F3F3}\uFE0F\u200D\u{1F308}`;
    const words = encodeWords(text, 'phrase');
    expect(words.length).toBeGreaterThan(3);
    expectWellFormed(text, words);
  });

  it('splits a cluster too long for one word between code points, never inside one', () => {
    const text = `x${'e\u0301'.repeat(3)}${'\u0301'.repeat(60)}y`;
    const words = encodeWords(text, 'text');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      expect(word.length).toBeLessThanOrEqual(75);
      expect(libmime.decodeWords(word)).not.toContain('\ufffd');
    }
    expect(decode(words)).toBe(text);
  });

  it('fills words up to the limit rather than leaving them short', () => {
    const words = encodeWords('a'.repeat(130), 'text');
    expect(words.map((word) => word.length)).toEqual([75, 75, 16]);
  });

  it('sizes the first word for the room the header line leaves it', () => {
    // "Subject: " leaves 69 of 78 characters.
    expect(encodeWords('a'.repeat(130), 'text', 69).map((word) => word.length)).toEqual([
      69, 75, 22,
    ]);
    const text = '👍🏽 é '.repeat(20);
    const words = encodeWords(text, 'phrase', 72);
    expect(words[0]?.length).toBeLessThanOrEqual(72);
    expectWellFormed(text, words);
    // A room too small for any character is ignored rather than making one-character words.
    expect(encodeWords('a'.repeat(130), 'text', 10).map((word) => word.length)).toEqual([
      75, 75, 16,
    ]);
  });
});

describe('needsEncoding', () => {
  it.each([
    ['plain ASCII', 'Build passed on main', false],
    ['a tab', 'a\tb', false],
    ['a lone =? or ?=', 'what =? is ?', false],
    ['non-ASCII', 'café', true],
    ['a control character', 'a\u0007b', true],
    ['DEL', 'a\u007fb', true],
    ['an encoded-word look-alike', 'see =?UTF-8?Q?=0D=0ABcc:_x?= here', true],
    ['a loose look-alike', 'x =? y ?= z', true],
    ['a 77-character run', 'a'.repeat(77), false],
    ['a 200-character URL', `see https://example.com/${'a'.repeat(180)} there`, false],
    ['a 997-character run', 'a'.repeat(997), false],
    ['a 998-character run', `see ${'a'.repeat(998)} there`, true],
  ])('%s: %s', (_label, text, expected) => {
    expect(needsEncoding(text)).toBe(expected);
  });
});

import libmime from 'libmime';
import { describe, expect, it } from 'vitest';
import {
  formatMailbox,
  parseAddressList,
  parseMailbox,
  type Mailbox,
} from '../../src/mime/address.js';
import { MimeInputError } from '../../src/mime/errors.js';

function parseError(input: string): MimeInputError {
  try {
    parseAddressList(input, 'to');
  } catch (error) {
    expect(error).toBeInstanceOf(MimeInputError);
    return error as MimeInputError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('parseAddressList', () => {
  it('reads a bare address', () => {
    expect(parseAddressList('a@x.com', 'to')).toEqual([
      { address: 'a@x.com', needsSmtpUtf8: false },
    ]);
  });

  it('reads Name <address> and "Last, First" <address>', () => {
    expect(parseAddressList('Jane Doe <jane@x.com>, "Doe, John" <john@x.com>', 'to')).toEqual([
      { name: 'Jane Doe', address: 'jane@x.com', needsSmtpUtf8: false },
      { name: 'Doe, John', address: 'john@x.com', needsSmtpUtf8: false },
    ]);
  });

  it('splits at commas and new lines and skips blank entries', () => {
    const list = parseAddressList('\n a@x.com ,, \r\n\tb@y.org\n\n"C" <c@z.net>,\n', 'cc');
    expect(list.map((mailbox) => mailbox.address)).toEqual(['a@x.com', 'b@y.org', 'c@z.net']);
    expect(parseAddressList(' \n , ', 'cc')).toEqual([]);
  });

  it('unescapes \\" and \\\\ in a quoted name', () => {
    expect(parseMailbox('"Say \\"hi\\" \\\\ bye" <a@x.com>', 'from').name).toBe('Say "hi" \\ bye');
  });

  it('collapses white space in an unquoted name and drops an empty one', () => {
    expect(parseMailbox('  Jane \t  Doe   <a@x.com>', 'from')).toEqual({
      name: 'Jane Doe',
      address: 'a@x.com',
      needsSmtpUtf8: false,
    });
    expect(parseMailbox('<a@x.com>', 'from')).toEqual({ address: 'a@x.com', needsSmtpUtf8: false });
    expect(parseMailbox('"" <a@x.com>', 'from')).toEqual({
      address: 'a@x.com',
      needsSmtpUtf8: false,
    });
  });

  it('accepts a non-ASCII name and converts a non-ASCII domain to its A-label', () => {
    expect(parseMailbox('Jörg Müller <jörg@bücher.example>', 'to')).toEqual({
      name: 'Jörg Müller',
      address: 'jörg@xn--bcher-kva.example',
      needsSmtpUtf8: true,
    });
    expect(parseMailbox('info@münchen.de', 'to')).toEqual({
      address: 'info@xn--mnchen-3ya.de',
      needsSmtpUtf8: false,
    });
  });

  it('accepts every atext character and dots between them in the local part', () => {
    const local = "a.b!#$%&'*+/=?^_`{|}~-c";
    expect(parseMailbox(`${local}@x.com`, 'to').address).toBe(`${local}@x.com`);
  });

  it('accepts a 64-octet local part and refuses 65 octets', () => {
    expect(parseMailbox(`${'a'.repeat(64)}@x.com`, 'to').address).toHaveLength(70);
    expect(parseError(`${'a'.repeat(65)}@x.com`).message).toContain('longer than 64 bytes');
    // 33 two-byte characters are 66 octets.
    expect(parseError(`${'é'.repeat(33)}@x.com`).message).toContain('longer than 64 bytes');
  });

  it('accepts a 255-character domain and refuses a longer one', () => {
    const label = 'a'.repeat(63);
    const domain = [label, label, label, label].join('.');
    expect(domain).toHaveLength(255);
    expect(parseMailbox(`u@${domain}`, 'to').address).toBe(`u@${domain}`);
    const tooLong = `${domain}.b`;
    expect(parseError(`u@${tooLong}`).message).toContain('longer than 255');
  });

  it.each([
    ['a comment', 'a@x.com (Jane)', 'comments in parentheses'],
    ['a comment in the name', 'Jane (CI) <a@x.com>', 'comments in parentheses'],
    ['group syntax', 'team: a@x.com, b@x.com;', 'group syntax'],
    ['group syntax in a name', 'team: Jane <a@x.com>', 'group syntax'],
    ['a route address', '<@relay.example:a@x.com>', 'route addresses'],
    ['a quoted local part hiding another address', '"a@evil x"@good.com', 'quoted local parts'],
    ['a quoted local part in angle brackets', 'Jane <"a b"@x.com>', 'quoted local parts'],
    ['two @', 'a@b@x.com', 'more than one @'],
    ['no @', 'jane', 'no @domain'],
    ['no domain', 'a@', 'domain is missing'],
    ['no local part', '@x.com', 'part before @ is empty'],
    ['an empty label', 'a@x..com', 'empty label'],
    ['a trailing dot', 'a@x.com.', 'empty label'],
    ['an underscore in the domain', 'a@my_host.com', 'not a valid host name label'],
    ['a hyphen at a label end', 'a@host-.com', 'not a valid host name label'],
    ['a 64-character label', `a@${'b'.repeat(64)}.com`, 'not a valid host name label'],
    ['a domain literal', 'a@[192.0.2.1]', 'domain literals'],
    ['two <...>', 'Jane <a@x.com> <b@x.com>', 'more than one <...>'],
    ['nested <...>', 'Jane <a@<b@x.com>>', 'more than one <...>'],
    ['text after >', 'Jane <a@x.com> Doe', 'text after the >'],
    ['a missing >', 'Jane <a@x.com', 'no matching >'],
    ['a stray >', 'a@x.com>', 'a > without a <'],
    ['an empty <>', 'Jane <>', 'address is empty'],
    ['a space in a bare address', 'Jane a@x.com', 'cannot contain spaces'],
    ['an unclosed quote', '"Jane <a@x.com>', 'not closed'],
    ['a partly quoted name', 'Jane "J" Doe <a@x.com>', 'quote the whole name'],
    ['an @ in an unquoted name', 'a@x.com <b@y.com>', 'put a comma between two addresses'],
    ['a bracket in an unquoted name', 'Jane [CI] <a@x.com>', 'put such a name in quotes'],
    ['a leading dot', '.a@x.com', 'not a valid local part'],
    ['a doubled dot', 'a..b@x.com', 'not a valid local part'],
    ['a zero-width space', 'a\u200b@x.com', 'not a valid local part'],
    ['NUL', 'Jane\u0000 <a@x.com>', 'control characters'],
    ['a bell', 'a\u0007@x.com', 'control characters'],
    ['DEL', 'a\u007f@x.com', 'control characters'],
    ['U+2028', 'Jane\u2028Bcc: b@evil.com <a@x.com>', 'line separators'],
    ['U+2029', 'a@x.com\u2029', 'line separators'],
    ['U+0085', 'Jane\u0085 <a@x.com>', 'control characters'],
    ['a bad IDN', 'a@xn--a.com\u00e9', 'not a valid'],
    ['an A-label that is not Punycode', 'a@xn--zz.example', 'not valid Punycode'],
  ])('refuses %s', (_label, input, reason) => {
    const error = parseError(input);
    expect(error.field).toBe('to');
    expect(error.message).toContain(reason);
    expect(error.message).toContain('Expected');
  });

  it('quotes the offending entry in the error, escaped', () => {
    const error = parseError('ok@x.com, Jane (CI) <a@x.com>');
    expect(error.message).toContain('"Jane (CI) <a@x.com>"');
    expect(parseError('"x\\" <a@x.com>').message).toContain(JSON.stringify('"x\\" <a@x.com>'));
  });

  it('does not split at a comma inside a quoted name or inside <...>', () => {
    expect(parseAddressList('"a, b <c@d.com>" <e@f.com>', 'to')).toEqual([
      { name: 'a, b <c@d.com>', address: 'e@f.com', needsSmtpUtf8: false },
    ]);
    expect(parseError('Jane <a@x.com,b@x.com>').message).toContain('comma');
  });
});

describe('parseMailbox', () => {
  it('refuses zero or several mailboxes', () => {
    expect(() => parseMailbox('', 'from')).toThrow(/exactly one address, found 0/);
    expect(() => parseMailbox('a@x.com, b@x.com', 'from')).toThrow(/exactly one address, found 2/);
  });
});

describe('formatMailbox', () => {
  const at = (name: string | undefined): string =>
    formatMailbox({
      ...(name === undefined ? {} : { name }),
      address: 'a@x.com',
      needsSmtpUtf8: false,
    });

  it.each([
    ['no name', undefined, 'a@x.com'],
    ['an empty name', '', 'a@x.com'],
    ['an atom phrase', "Jane O'Doe-Smith", "Jane O'Doe-Smith <a@x.com>"],
    ['a name with a comma', 'Doe, Jane', '"Doe, Jane" <a@x.com>'],
    ['a name with a dot', 'J. Doe', '"J. Doe" <a@x.com>'],
    ['a name with quotes and backslash', 'Say "hi" \\o/', '"Say \\"hi\\" \\\\o/" <a@x.com>'],
    ['a name with double spaces', 'Jane  Doe', '"Jane  Doe" <a@x.com>'],
    ['a non-ASCII name, B shorter', 'Jörg', '=?UTF-8?B?SsO2cmc=?= <a@x.com>'],
    ['a non-ASCII name, Q as short', 'José Garcia', '=?UTF-8?Q?Jos=C3=A9_Garcia?= <a@x.com>'],
    [
      'an encoded-word look-alike',
      '=?UTF-8?B?QmNj?=',
      '=?UTF-8?B?PT9VVEYtOD9CP1FtTmo/PQ==?= <a@x.com>',
    ],
  ])('writes %s', (_label, name, expected) => {
    expect(at(name)).toBe(expected);
  });

  it('writes a long non-ASCII name as several encoded-words that decode back', () => {
    const name = 'Ünïcödé Nämé '.repeat(6).trim();
    const formatted = at(name);
    const words = formatted.slice(0, formatted.indexOf(' <')).split(' ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(libmime.decodeWords(words.join(' '))).toBe(name);
  });

  it('round-trips what parseMailbox reads', () => {
    for (const input of ['"Doe, Jane" <a@x.com>', 'Jane Doe <a@x.com>', 'a@x.com']) {
      expect(formatMailbox(parseMailbox(input, 'to'))).toBe(input);
    }
  });

  it('checks a hand-built mailbox again', () => {
    const hostile: Mailbox[] = [
      { name: 'Jane\r\nBcc: b@evil.com', address: 'a@x.com', needsSmtpUtf8: false },
      { name: 'Jane\u2028', address: 'a@x.com', needsSmtpUtf8: false },
      { address: 'a@x.com>\r\nBcc: b@evil.com', needsSmtpUtf8: false },
      { address: 'a@x.com, b@evil.com', needsSmtpUtf8: false },
    ];
    for (const mailbox of hostile) {
      expect(() => formatMailbox(mailbox, 'to')).toThrow(MimeInputError);
    }
  });

  it('writes an SMTPUTF8 local part as UTF-8 (RFC 6532) and a domain as its A-label', () => {
    expect(formatMailbox({ address: 'jörg@bücher.example', needsSmtpUtf8: true })).toBe(
      'jörg@xn--bcher-kva.example',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { prepareEnvelopeAddress } from '../../src/smtp/envelope-address.js';
import { SmtpInputError } from '../../src/smtp/errors.js';

describe('prepareEnvelopeAddress: accepted', () => {
  const cases: [string, string, boolean][] = [
    ['user@example.com', 'user@example.com', false],
    ['First.Last+tag@Sub.Example.COM', 'First.Last+tag@Sub.Example.COM', false],
    ["o'hara!#$%&*/=?^_`{|}~-@example.com", "o'hara!#$%&*/=?^_`{|}~-@example.com", false],
    ['"john doe"@example.com', '"john doe"@example.com', false],
    ['"a@b"@example.com', '"a@b"@example.com', false],
    ['"quote\\"d"@example.com', '"quote\\"d"@example.com', false],
    ['""@example.com', '""@example.com', false],
    ['user@[192.0.2.1]', 'user@[192.0.2.1]', false],
    ['user@[IPv6:2001:db8::1]', 'user@[IPv6:2001:db8::1]', false],
    ['user@localhost', 'user@localhost', false],
    ['user@123.example', 'user@123.example', false],
    ['user@bücher.example', 'user@xn--bcher-kva.example', false],
    ['user@BÜCHER.example', 'user@xn--bcher-kva.example', false],
    ['user@ü\uff0eexample', 'user@xn--tda.example', false],
    ['user@例え.テスト', 'user@xn--r8jz45g.xn--zckzah', false],
    ['user@xn--bcher-kva.example', 'user@xn--bcher-kva.example', false],
    ['δοκιμή@example.com', 'δοκιμή@example.com', true],
    ['用户@例子.广告', '用户@xn--fsqu00a.xn--4rr70v', true],
    ['"δ x"@example.com', '"δ x"@example.com', true],
    ['瘍@example.com', '瘍@example.com', true],
  ];
  it.each(cases)('%s', (address, wire, needsSmtpUtf8) => {
    expect(prepareEnvelopeAddress(address)).toEqual({ wire, needsSmtpUtf8 });
  });

  it('accepts the maximum lengths', () => {
    const local = 'l'.repeat(64);
    const label = 'd'.repeat(63);
    // 64 + 1 + 189 = 254 octets, 256 with the angle brackets.
    const domain = [label, label, label.slice(0, 60), 'com'].join('.').slice(0, 189);
    const address = `${local}@${domain.replace(/\.$/, 'x')}`;
    expect(address).toHaveLength(254);
    expect(prepareEnvelopeAddress(address).wire).toBe(address);
  });
});

describe('prepareEnvelopeAddress: refused', () => {
  const cases: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['no @', 'user.example.com', /no "@"/],
    ['empty local part', '@example.com', /before "@" is empty/],
    ['empty domain', 'user@', /after "@" is empty/],
    ['display name', 'Jane <jane@example.com>', /without a display name/],
    ['angle brackets', '<jane@example.com>', /angle brackets/],
    ['two addresses', 'a@example.com, b@example.com', /one address per entry/],
    ['two addresses with @', 'a@example.com,b@example.com', /one address per entry/],
    ['list without second @', 'a@example.com, b', /only letters/],
    ['space in local part', 'john doe@example.com', /dot-separated/],
    ['leading space', ' user@example.com', /dot-separated/],
    ['trailing space', 'user@example.com ', /only letters/],
    ['CRLF injection', 'a@example.com>\r\nRCPT TO:<b@example.com', /control character/],
    ['LF', 'a\n@example.com', /control character/],
    ['CR', 'a@exa\rmple.com', /control character/],
    ['NUL', 'a\u0000@example.com', /control character/],
    ['TAB', 'a\t@example.com', /control character/],
    ['DEL', 'a\u007f@example.com', /control character/],
    ['NEL', 'a\u0085@example.com', /control character/],
    ['U+2028', 'a\u2028@example.com', /control character/],
    ['control inside quotes', '"a\r\nb"@example.com', /control character/],
    ['leading dot', '.user@example.com', /dot-separated/],
    ['double dot', 'us..er@example.com', /dot-separated/],
    ['trailing dot in local', 'user.@example.com', /dot-separated/],
    ['unbalanced quote', '"user@example.com', /dot-separated/],
    ['text after quotes', '"a"b@example.com', /dot-separated/],
    ['backslash outside quotes', 'a\\b@example.com', /dot-separated/],
    ['parenthesis comment', 'user(comment)@example.com', /dot-separated/],
    ['trailing dot in domain', 'user@example.com.', /labels/],
    ['leading hyphen label', 'user@-example.com', /labels/],
    ['trailing hyphen label', 'user@example-.com', /labels/],
    ['underscore in domain', 'user@ex_ample.com', /only letters/],
    ['label over 63', `user@${'d'.repeat(64)}.com`, /labels/],
    ['IDN that is no valid name', 'user@ü%.example', /only letters/],
    ['IDN with a path', 'user@ü/x.example', /only letters/],
    ['IDN with a fullwidth solidus', 'user@ü\uff0fx.example', /A-label/],
    ['IDN with a port', 'user@ü.example:25', /only letters/],
    ['IDN with a query', 'user@ü?.example', /only letters/],
    ['IDN with an underscore', 'user@ü_x.example', /only letters/],
    ['IDN with an empty label', 'user@ü..example', /labels/],
    ['bad IPv4 literal', 'user@[192.0.2.256]', /address literal/],
    ['unterminated literal', 'user@[192.0.2.1', /address literal/],
    ['IPv6 without tag', 'user@[2001:db8::1]', /address literal/],
    ['general literal', 'user@[x-tag:content]', /address literal/],
    ['local part over 64 octets', `${'l'.repeat(65)}@example.com`, /over 64 octets/],
    ['UTF-8 local part over 64 octets', `${'é'.repeat(33)}@example.com`, /over 64 octets/],
    ['domain over 255', `u@${`${'d'.repeat(63)}.`.repeat(4)}com`, /over 255 octets/],
    ['path over 256', `${'l'.repeat(64)}@${`${'d'.repeat(62)}.`.repeat(3)}com`, /over 254 octets/],
  ];
  it.each(cases)('%s', (_name, address, reason) => {
    expect(() => prepareEnvelopeAddress(address)).toThrow(SmtpInputError);
    expect(() => prepareEnvelopeAddress(address)).toThrow(reason);
  });

  it('names the address with its hidden characters made visible', () => {
    expect(() => prepareEnvelopeAddress('a@b.example\r\nDATA')).toThrow(
      'The envelope address "a@b.example\\r\\nDATA" is not valid',
    );
    expect(() => prepareEnvelopeAddress('a\u2028@b.example')).toThrow('"a\\u2028@b.example"');
  });
});

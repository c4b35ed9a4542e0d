import { describe, expect, it } from 'vitest';
import {
  dataCommand,
  ehloCommand,
  encodeXtext,
  formatCommand,
  formatSaslResponse,
  heloCommand,
  mailCommand,
  noopCommand,
  quitCommand,
  rcptCommand,
  rsetCommand,
  startTlsCommand,
} from '../../src/smtp/commands.js';
import { SmtpInputError } from '../../src/smtp/errors.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('formatCommand', () => {
  const cases: [string, string[], string][] = [
    ['NOOP', [], 'NOOP\r\n'],
    ['MAIL', ['FROM:<a@example.com>', 'SIZE=10'], 'MAIL FROM:<a@example.com> SIZE=10\r\n'],
    ['AUTH', ['PLAIN', 'AGFsaWNlAHNlY3JldA=='], 'AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n'],
    ['RCPT', ['TO:<"john doe"@example.com>'], 'RCPT TO:<"john doe"@example.com>\r\n'],
  ];
  it.each(cases)('%s %j', (verb, args, expected) => {
    expect(text(formatCommand(verb, ...args))).toBe(expected);
  });

  it('encodes UTF-8, not latin1 (U+760D must not become 0x0D)', () => {
    const bytes = formatCommand('RCPT', 'TO:<瘍@example.com>');
    expect([...bytes]).toEqual([...Buffer.from('RCPT TO:<瘍@example.com>\r\n', 'utf8')]);
    expect(bytes.indexOf(0x0d)).toBe(bytes.length - 2);
  });

  const refused: [string, string, string[]][] = [
    ['CR in an argument', 'MAIL', ['FROM:<a@b>\rRCPT TO:<x@y>']],
    ['LF in an argument', 'MAIL', ['FROM:<a@b>\nRCPT TO:<x@y>']],
    ['CRLF in an argument', 'RCPT', ['TO:<a@b>\r\nDATA']],
    ['NUL', 'MAIL', ['FROM:<a\u0000@b>']],
    ['TAB', 'MAIL', ['FROM:<a\t@b>']],
    ['ESC', 'MAIL', ['FROM:<a\u001b@b>']],
    ['DEL', 'MAIL', ['FROM:<a\u007f@b>']],
    ['NEL (C1)', 'MAIL', ['FROM:<a\u0085@b>']],
    ['C1 0x9F', 'MAIL', ['FROM:<a\u009f@b>']],
    ['U+2028', 'MAIL', ['FROM:<a\u2028@b>']],
    ['U+2029', 'MAIL', ['FROM:<a\u2029@b>']],
    ['lone surrogate', 'MAIL', ['FROM:<a\ud800@b>']],
    ['CR in the verb', 'NOOP\r\nQUIT', []],
    ['space in the verb', 'MAIL FROM:<a@b>', []],
    ['empty verb', '', []],
    ['C1 in the verb', 'NO\u0085OP', []],
  ];
  it.each(refused)('refuses %s', (_name, verb, args) => {
    expect(() => formatCommand(verb, ...args)).toThrow(SmtpInputError);
  });

  it('accepts U+760D and U+760A, whose low bytes are CR and LF', () => {
    for (const char of ['\u760d', '\u760a']) {
      const bytes = formatCommand('RCPT', `TO:<${char}@example.com>`);
      expect(text(bytes)).toBe(`RCPT TO:<${char}@example.com>\r\n`);
      expect(bytes.slice(0, -2).some((byte) => byte === 0x0d || byte === 0x0a)).toBe(false);
    }
  });

  it('names the character and its position but never echoes the value', () => {
    expect(() => formatCommand('AUTH', 'PLAIN', 'c2VjcmV0\r\nQUIT')).toThrow(
      /^Argument 2 of AUTH contains the control character U\+000D at position 8;/,
    );
    try {
      formatCommand('AUTH', 'PLAIN', 'c2VjcmV0\r\nQUIT');
    } catch (error) {
      expect(String(error)).not.toContain('c2VjcmV0');
    }
  });

  it('limits a command line to 512 octets including CRLF', () => {
    // 'MAIL ' + arg + CRLF = 512
    expect(formatCommand('MAIL', 'x'.repeat(505))).toHaveLength(512);
    expect(() => formatCommand('MAIL', 'x'.repeat(506))).toThrow(/513 octets.*limit is 512/);
    // Octets, not characters: 'é' is two octets.
    expect(() => formatCommand('MAIL', 'é'.repeat(253))).toThrow(/513 octets/);
  });

  it('keeps an AUTH line within 512 octets like any command (RFC 4954 4)', () => {
    expect(formatCommand('AUTH', 'XOAUTH2', 'A'.repeat(497))).toHaveLength(512);
    expect(() => formatCommand('AUTH', 'XOAUTH2', 'A'.repeat(498))).toThrow(/limit is 512/);
  });
});

describe('formatSaslResponse', () => {
  it.each([
    ['dXNlcg==', 'dXNlcg==\r\n'],
    ['', '\r\n'],
    ['*', '*\r\n'],
  ])('%j', (response, expected) => {
    expect(text(formatSaslResponse(response))).toBe(expected);
  });

  it.each(['abc\r\nQUIT', 'abc\n', '\u0000'])('refuses %j', (response) => {
    expect(() => formatSaslResponse(response)).toThrow(SmtpInputError);
  });

  it('lets a response on its own line reach 12288 octets (RFC 4954 4)', () => {
    expect(formatSaslResponse('A'.repeat(12286))).toHaveLength(12288);
    expect(() => formatSaslResponse('A'.repeat(12287))).toThrow(/limit is 12288/);
  });
});

describe('command builders', () => {
  const cases: [string, () => Uint8Array, string][] = [
    ['EHLO', () => ehloCommand('client.example'), 'EHLO client.example\r\n'],
    ['EHLO literal', () => ehloCommand('[127.0.0.1]'), 'EHLO [127.0.0.1]\r\n'],
    ['HELO', () => heloCommand('client.example'), 'HELO client.example\r\n'],
    ['STARTTLS', startTlsCommand, 'STARTTLS\r\n'],
    ['DATA', dataCommand, 'DATA\r\n'],
    ['RSET', rsetCommand, 'RSET\r\n'],
    ['QUIT', quitCommand, 'QUIT\r\n'],
    ['NOOP', noopCommand, 'NOOP\r\n'],
    ['MAIL plain', () => mailCommand('a@example.com', {}), 'MAIL FROM:<a@example.com>\r\n'],
    ['MAIL null sender', () => mailCommand('', {}), 'MAIL FROM:<>\r\n'],
    [
      'MAIL with every parameter',
      () =>
        mailCommand('a@example.com', {
          size: 12345,
          body: '8BITMIME',
          smtpUtf8: true,
          ret: 'HDRS',
          envId: 'run 42+1=x',
        }),
      'MAIL FROM:<a@example.com> SIZE=12345 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=run+2042+2B1+3Dx\r\n',
    ],
    [
      'MAIL with 7BIT, SMTPUTF8 false',
      () => mailCommand('a@example.com', { body: '7BIT', smtpUtf8: false, size: 0 }),
      'MAIL FROM:<a@example.com> SIZE=0 BODY=7BIT\r\n',
    ],
    ['RCPT plain', () => rcptCommand('b@example.com', {}), 'RCPT TO:<b@example.com>\r\n'],
    [
      'RCPT NOTIFY=NEVER',
      () => rcptCommand('b@example.com', { notify: 'NEVER' }),
      'RCPT TO:<b@example.com> NOTIFY=NEVER\r\n',
    ],
    [
      'RCPT NOTIFY list and ORCPT',
      () =>
        rcptCommand('b@example.com', {
          notify: ['FAILURE', 'DELAY', 'FAILURE'],
          orcpt: 'b+tag@example.com',
        }),
      'RCPT TO:<b@example.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b+2Btag@example.com\r\n',
    ],
    ['RCPT UTF-8', () => rcptCommand('δοκιμή@example.com', {}), 'RCPT TO:<δοκιμή@example.com>\r\n'],
  ];
  it.each(cases)('%s', (_name, build, expected) => {
    expect(text(build())).toBe(expected);
  });

  const refused: [string, () => Uint8Array][] = [
    ['EHLO empty', () => ehloCommand('')],
    ['EHLO with a space', () => ehloCommand('a b')],
    ['EHLO with CRLF', () => ehloCommand('a\r\nMAIL FROM:<x@y>')],
    ['HELO with a space', () => heloCommand('a b')],
    ['MAIL with brackets', () => mailCommand('<a@b>', {})],
    ['MAIL path with CRLF', () => mailCommand('a@b\r\nRCPT TO:<c@d>', {})],
    ['MAIL negative size', () => mailCommand('a@b', { size: -1 })],
    ['MAIL fractional size', () => mailCommand('a@b', { size: 1.5 })],
    ['MAIL empty ENVID', () => mailCommand('a@b', { envId: '' })],
    ['MAIL ENVID over 100', () => mailCommand('a@b', { envId: 'x'.repeat(101) })],
    ['MAIL non-ASCII ENVID', () => mailCommand('a@b', { envId: 'é' })],
    ['RCPT empty', () => rcptCommand('', {})],
    ['RCPT with brackets', () => rcptCommand('a@b> NOTIFY=NEVER <', {})],
    ['RCPT empty NOTIFY list', () => rcptCommand('a@b', { notify: [] })],
    ['RCPT non-ASCII ORCPT', () => rcptCommand('a@b', { orcpt: 'δ@example.com' })],
    // RFC 3461 4.2, 4.4: ORCPT and ENVID are printable US-ASCII; xtext must not launder controls.
    ['MAIL ENVID with CRLF', () => mailCommand('a@b', { envId: 'run\r\nRSET' })],
    ['MAIL ENVID with NUL', () => mailCommand('a@b', { envId: 'run\u0000' })],
    ['RCPT ORCPT with LF', () => rcptCommand('a@b', { orcpt: 'a@b\nx' })],
    // RFC 3461 4.1, 4.3: closed sets; a space would smuggle in another parameter.
    ['MAIL RET outside its set', () => mailCommand('a@b', { ret: 'FULL SIZE=1' as never })],
    ['MAIL BODY outside its set', () => mailCommand('a@b', { body: 'BINARYMIME' as never })],
    ['RCPT NOTIFY outside its set', () => rcptCommand('a@b', { notify: ['SUCCESS X=1'] as never })],
    [
      'RCPT NOTIFY=NEVER with others',
      () => rcptCommand('a@b', { notify: ['SUCCESS', 'NEVER'] as never }),
    ],
    ['RCPT NOTIFY as a string', () => rcptCommand('a@b', { notify: 'SUCCESS' as never })],
    ['RCPT over 512 octets', () => rcptCommand(`${'a'.repeat(500)}@example.com`, {})],
  ];
  it.each(refused)('refuses %s', (_name, build) => {
    expect(build).toThrow(SmtpInputError);
  });
});

describe('encodeXtext', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['plain-text_123', 'plain-text_123'],
    ['a+b=c', 'a+2Bb+3Dc'],
    ['with space', 'with+20space'],
    ['tab\there', 'tab+09here'],
    ['\u0000\u007f', '+00+7F'],
    ['!~', '!~'],
    ['"quoted"@example.com', '"quoted"@example.com'],
  ];
  it.each(cases)('%j', (value, expected) => {
    expect(encodeXtext(value)).toBe(expected);
  });

  it('refuses non-ASCII, which xtext cannot carry', () => {
    expect(() => encodeXtext('bücher')).toThrow(/RFC 3461/);
  });
});

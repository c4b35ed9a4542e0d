import { describe, expect, it } from 'vitest';
import {
  HELO_CAPABILITIES,
  capabilitiesFromHelo,
  parseEhlo,
  type Capabilities,
} from '../../src/smtp/capabilities.js';
import { ReplyParser, type Reply } from '../../src/smtp/reply.js';

/** Parses a transcript through the real reply parser, as the session will. */
function reply(text: string): Reply {
  const replies = new ReplyParser().push(new TextEncoder().encode(text));
  expect(replies).toHaveLength(1);
  return replies[0] as Reply;
}

const POSTFIX = reply(
  [
    '250-mail.example.org',
    '250-PIPELINING',
    '250-SIZE 10240000',
    '250-VRFY',
    '250-ETRN',
    '250-STARTTLS',
    '250-AUTH PLAIN LOGIN',
    '250-AUTH=PLAIN LOGIN',
    '250-ENHANCEDSTATUSCODES',
    '250-8BITMIME',
    '250-DSN',
    '250-SMTPUTF8',
    '250 CHUNKING',
    '',
  ].join('\r\n'),
);

const GMAIL = reply(
  [
    '250-smtp.gmail.com at your service, [203.0.113.7]',
    '250-SIZE 35882577',
    '250-8BITMIME',
    '250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH',
    '250-ENHANCEDSTATUSCODES',
    '250-PIPELINING',
    '250-CHUNKING',
    '250 SMTPUTF8',
    '',
  ].join('\r\n'),
);

const OFFICE365 = reply(
  [
    '250-AM0PR01CA0001.outlook.office365.com Hello [203.0.113.7]',
    '250-SIZE 157286400',
    '250-PIPELINING',
    '250-DSN',
    '250-ENHANCEDSTATUSCODES',
    '250-AUTH LOGIN XOAUTH2',
    '250-8BITMIME',
    '250-BINARYMIME',
    '250-CHUNKING',
    '250 SMTPUTF8',
    '',
  ].join('\r\n'),
);

// Lowercase keywords, tabs, extra spaces, the legacy AUTH= form only, and junk lines.
const ODD = reply(
  [
    '250-odd.example.net  greets you',
    '250-pipelining',
    '250-size\t 52428800 ',
    '250-  starttls',
    '250-auth=login  cram-md5',
    '250-!!! not a keyword',
    '250-',
    '250-X-EXPS GSSAPI NTLM',
    '250 8bitmime',
    '',
  ].join('\n'),
);

describe('parseEhlo with real-world replies', () => {
  const cases: [string, Reply, Partial<Capabilities>][] = [
    [
      'Postfix',
      POSTFIX,
      {
        domain: 'mail.example.org',
        pipelining: true,
        size: 10240000,
        eightBitMime: true,
        smtpUtf8: true,
        enhancedStatusCodes: true,
        dsn: true,
        chunking: true,
        startTls: true,
        auth: ['PLAIN', 'LOGIN'],
      },
    ],
    [
      'Gmail',
      GMAIL,
      {
        domain: 'smtp.gmail.com',
        pipelining: true,
        size: 35882577,
        eightBitMime: true,
        smtpUtf8: true,
        enhancedStatusCodes: true,
        dsn: false,
        chunking: true,
        startTls: false,
        auth: ['LOGIN', 'PLAIN', 'XOAUTH2', 'PLAIN-CLIENTTOKEN', 'OAUTHBEARER', 'XOAUTH'],
      },
    ],
    [
      'Office 365',
      OFFICE365,
      {
        domain: 'AM0PR01CA0001.outlook.office365.com',
        size: 157286400,
        dsn: true,
        startTls: false,
        auth: ['LOGIN', 'XOAUTH2'],
      },
    ],
    [
      'odd spacing, lowercase, legacy AUTH= and junk',
      ODD,
      {
        domain: 'odd.example.net',
        pipelining: true,
        size: 52428800,
        eightBitMime: true,
        smtpUtf8: false,
        startTls: true,
        auth: ['LOGIN', 'CRAM-MD5'],
      },
    ],
  ];
  it.each(cases)('%s', (_name, ehlo, expected) => {
    expect(parseEhlo(ehlo)).toMatchObject(expected);
  });

  it('keeps every keyword, uppercase, with its parameters', () => {
    const { keywords } = parseEhlo(ODD);
    expect([...keywords.keys()]).toEqual([
      'PIPELINING',
      'SIZE',
      'STARTTLS',
      'AUTH',
      'X-EXPS',
      '8BITMIME',
    ]);
    expect(keywords.get('X-EXPS')).toEqual(['GSSAPI', 'NTLM']);
    expect(keywords.get('SIZE')).toEqual(['52428800']);
  });

  it('merges AUTH and AUTH= without duplicates', () => {
    expect(parseEhlo(POSTFIX).keywords.get('AUTH')).toEqual(['PLAIN', 'LOGIN']);
  });
});

describe('parseEhlo: SIZE', () => {
  const cases: [string, number | undefined][] = [
    ['SIZE 1000', 1000],
    ['SIZE 0', undefined],
    ['SIZE', undefined],
    ['SIZE unlimited', undefined],
    ['SIZE -5', undefined],
    ['SIZE 1e6', undefined],
    ['SIZE 99999999999999999999', undefined],
  ];
  it.each(cases)('%s', (line, expected) => {
    const capabilities = parseEhlo({ code: 250, lines: ['host', line] });
    expect(capabilities.size).toBe(expected);
    expect('size' in capabilities).toBe(expected !== undefined);
  });
});

describe('parseEhlo: minimal replies', () => {
  it('has nothing when the server lists no extension', () => {
    const capabilities = parseEhlo({ code: 250, lines: ['only.example'] });
    expect(capabilities).toEqual({ ...HELO_CAPABILITIES, domain: 'only.example' });
  });

  it('survives an empty reply', () => {
    expect(parseEhlo({ code: 250, lines: [] }).domain).toBe('');
  });
});

describe('HELO', () => {
  it('has no extensions at all', () => {
    const capabilities = capabilitiesFromHelo({ code: 250, lines: ['relay.example Hello'] });
    expect(capabilities).toMatchObject({
      domain: 'relay.example',
      pipelining: false,
      eightBitMime: false,
      smtpUtf8: false,
      enhancedStatusCodes: false,
      dsn: false,
      chunking: false,
      startTls: false,
      auth: [],
    });
    expect(capabilities.size).toBeUndefined();
    expect(capabilities.keywords.size).toBe(0);
  });
});

// Issue 6 part 4: the command builder under arbitrary addresses and parameters. Each call either
// throws SmtpInputError or returns exactly one line: UTF-8, CRLF only at its end, no NUL or other
// control octet, within RFC 5321 4.5.3.1 (512 octets a command, 64 a local part, 255 a domain,
// 256 a path) and carrying exactly what it was given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ehloCommand,
  encodeXtext,
  formatCommand,
  mailCommand,
  rcptCommand,
  type MailParameters,
  type RcptParameters,
} from '../../src/smtp/commands.js';
import { isValidEhloName } from '../../src/smtp/ehlo-name.js';
import { prepareEnvelopeAddress } from '../../src/smtp/envelope-address.js';
import { SmtpInputError } from '../../src/smtp/errors.js';
import { awkwardString, useErrorCapture } from './arbitraries.js';

const capture = useErrorCapture('fuzz-commands: command builder errors');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Runs `build`; a throw must be an SmtpInputError. Returns the line, or undefined if refused. */
function tryBuild(build: () => Uint8Array): Uint8Array | undefined {
  try {
    return build();
  } catch (error) {
    capture(error);
    expect(error).toBeInstanceOf(SmtpInputError);
    return undefined;
  }
}

/** The line without its CRLF, after checking it is one well-formed line within `limit`. */
function checkLine(bytes: Uint8Array, limit = 512): string {
  expect(bytes.length).toBeLessThanOrEqual(limit);
  expect(bytes.at(-2)).toBe(0x0d);
  expect(bytes.at(-1)).toBe(0x0a);
  const body = bytes.subarray(0, -2);
  expect(body.findIndex((byte) => byte < 0x20 || byte === 0x7f)).toBe(-1);
  const text = strictUtf8.decode(body);
  expect(text).not.toMatch(/[\u0080-\u009f\u2028\u2029]/);
  return text;
}

/** Addresses: real shapes, hostile characters anywhere, and lengths around every limit. */
const address = fc.oneof(
  awkwardString(8),
  fc
    .tuple(awkwardString(3), fc.constantFrom('@', '@@', ''), awkwardString(3))
    .map((parts) => parts.join('')),
  fc.emailAddress(),
  fc
    .tuple(
      fc.integer({ min: 1, max: 70 }),
      fc.integer({ min: 1, max: 260 }),
      fc.constantFrom('a', 'é', '瘍', '😀'),
    )
    .map(([local, domain, char]) => `${char.repeat(local)}@${'d.'.repeat(domain)}example`),
);

const mailParameters: fc.Arbitrary<MailParameters> = fc.record(
  {
    size: fc.oneof(fc.nat(), fc.double(), fc.constant(Number.NaN), fc.integer({ min: -5, max: 5 })),
    body: fc.constantFrom('7BIT', '8BITMIME', '8bitmime', 'BINARYMIME', '7BIT SMTPUTF8', ''),
    smtpUtf8: fc.boolean(),
    ret: fc.constantFrom('FULL', 'HDRS', 'full', 'FULL\r\nRSET', ''),
    envId: fc.oneof(awkwardString(6), fc.string({ unit: 'binary', maxLength: 120 })),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<MailParameters>;

const rcptParameters: fc.Arbitrary<RcptParameters> = fc.record(
  {
    notify: fc.oneof(
      fc.constant('NEVER'),
      fc.constantFrom('never', 'NEVER,SUCCESS', 'SUCCESS\r\nDATA'),
      fc.array(fc.constantFrom('SUCCESS', 'FAILURE', 'DELAY', 'NEVER', 'success', 'X Y')),
    ),
    orcpt: fc.oneof(address, fc.string({ unit: 'binary', maxLength: 80 })),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<RcptParameters>;

/** RFC 3461 4: decodes `+HH` escapes. */
function decodeXtext(text: string): string {
  return text.replace(/\+([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** `KEY=value` parameters after the path, as a server reads them (RFC 5321 4.1.2 esmtp-param). */
function readParameters(text: string, prefix: RegExp): Map<string, string> {
  const match = prefix.exec(text);
  expect(match).not.toBeNull();
  const rest = text.slice(match?.[0].length ?? 0);
  const params = new Map<string, string>();
  for (const word of rest.split(' ').filter((w) => w !== '')) {
    const [key = '', value = ''] = word.split(/=(.*)/s);
    expect(params.has(key)).toBe(false);
    params.set(key, value);
  }
  return params;
}

describe('formatCommand on arbitrary arguments', () => {
  it('gives one line carrying the arguments as written, or SmtpInputError (property, 500 runs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom('MAIL', 'RCPT', 'AUTH', 'EHLO', 'NOOP'), awkwardString(2)),
        fc.array(fc.oneof(awkwardString(6), fc.string({ unit: 'binary', maxLength: 600 })), {
          maxLength: 3,
        }),
        (verb, args) => {
          const bytes = tryBuild(() => formatCommand(verb, ...args));
          if (bytes === undefined) return;
          expect(checkLine(bytes, 512)).toBe([verb, ...args].join(' '));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('envelope addresses and MAIL/RCPT on arbitrary input', () => {
  it('prepares an address within the RFC 5321 limits, or refuses it (property, 500 runs)', () => {
    fc.assert(
      fc.property(address, (input) => {
        let wire: string;
        try {
          wire = prepareEnvelopeAddress(input).wire;
        } catch (error) {
          capture(error);
          expect(error).toBeInstanceOf(SmtpInputError);
          return;
        }
        const at = wire.lastIndexOf('@');
        expect(Buffer.byteLength(wire.slice(0, at))).toBeLessThanOrEqual(64);
        expect(wire.slice(at + 1).length).toBeLessThanOrEqual(255);
        expect(wire.slice(at + 1)).toMatch(/^[\x21-\x7e]+$/);
        expect(Buffer.byteLength(wire) + 2).toBeLessThanOrEqual(256);
        // Whatever the address check accepts, the command builder accepts too.
        const rcpt = checkLine(rcptCommand(wire));
        expect(rcpt).toBe(`RCPT TO:<${wire}>`);
        expect(checkLine(mailCommand(wire))).toBe(`MAIL FROM:<${wire}>`);
      }),
      { numRuns: 500 },
    );
  });

  it('builds MAIL FROM with exactly the parameters given, or refuses (property, 500 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(address, fc.constant('')), mailParameters, (path, params) => {
        const bytes = tryBuild(() => mailCommand(path, params));
        if (bytes === undefined) return;
        const text = checkLine(bytes);
        const parsed = readParameters(text, /^MAIL FROM:<[^<>]*>/);
        expect(text.startsWith(`MAIL FROM:<${path}>`)).toBe(true);
        const expected = new Set<string>();
        if (params.size !== undefined) expected.add('SIZE');
        if (params.body !== undefined) expected.add('BODY');
        if (params.smtpUtf8 === true) expected.add('SMTPUTF8');
        if (params.ret !== undefined) expected.add('RET');
        if (params.envId !== undefined) expected.add('ENVID');
        expect(new Set(parsed.keys())).toEqual(expected);
        if (params.size !== undefined) expect(parsed.get('SIZE')).toBe(String(params.size));
        if (params.body !== undefined) expect(parsed.get('BODY')).toBe(params.body);
        if (params.ret !== undefined) expect(parsed.get('RET')).toBe(params.ret);
        if (params.envId !== undefined) {
          expect(parsed.get('ENVID')).toMatch(/^[\x21-\x7e]+$/);
          expect(decodeXtext(parsed.get('ENVID') ?? '')).toBe(params.envId);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('builds RCPT TO with exactly NOTIFY and ORCPT as given, or refuses (property, 500 runs)', () => {
    fc.assert(
      fc.property(address, rcptParameters, (path, params) => {
        const bytes = tryBuild(() => rcptCommand(path, params));
        if (bytes === undefined) return;
        const text = checkLine(bytes);
        expect(text.startsWith(`RCPT TO:<${path}>`)).toBe(true);
        const parsed = readParameters(text, /^RCPT TO:<[^<>]*>/);
        const keys = [...parsed.keys()];
        expect(keys).toEqual(
          [params.notify && 'NOTIFY', params.orcpt !== undefined && 'ORCPT'].filter(Boolean),
        );
        const notify = parsed.get('NOTIFY');
        if (notify !== undefined) {
          expect(notify).toMatch(/^(NEVER|(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY))*)$/);
        }
        const orcpt = parsed.get('ORCPT');
        if (orcpt !== undefined) {
          expect(orcpt).toMatch(/^rfc822;[\x21-\x7e]+$/);
          expect(decodeXtext(orcpt.slice('rfc822;'.length))).toBe(params.orcpt);
          expect(encodeXtext(params.orcpt ?? '')).toBe(orcpt.slice('rfc822;'.length));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('sends EHLO only with a name the option check accepts as it is (property, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          awkwardString(6),
          fc.domain(),
          fc.ipV4().map((ip) => `[${ip}]`),
        ),
        (name) => {
          const bytes = tryBuild(() => ehloCommand(name));
          if (isValidEhloName(name)) expect(bytes).toBeDefined();
          if (bytes !== undefined) expect(checkLine(bytes)).toBe(`EHLO ${name}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

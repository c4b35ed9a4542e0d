// Issue 6, part 1: replies that are split, malformed, endless, of the wrong class, or shaped
// like GitHub workflow commands. A reply the client cannot trust ends the session as a protocol
// error before any message content goes out; a reply it can parse never smuggles a log line.
// Overlap: test/smtp/reply.test.ts checks the parser alone at every split position and refuses
// each malformed line, and session-faults.test.ts a mismatched EHLO reply; here the whole
// session over the wire, each fault at the greeting and inside the transaction.
import { describe, expect, it } from 'vitest';
import {
  SmtpProtocolError,
  SmtpReplyError,
  sendMail,
  type SendMailOptions,
} from '../../src/smtp/index.js';
import type { Fault, FaultAction, FaultPlace } from '../helpers/fault-server.js';
import {
  expectNoContent,
  expectPasswordOnlyInAuth,
  faultSend,
  faultServer,
  securedAuth,
  sendFailure,
  sendSuccess,
} from './server-fixtures.js';

const everyPlace: readonly FaultPlace[] = [
  'greeting',
  'EHLO',
  'STARTTLS',
  'AUTH',
  'MAIL',
  'RCPT',
  'DATA',
  'dot',
  'QUIT',
];

describe('every reply split at every byte', () => {
  it('gives the same session, transcript and message as unsplit replies', async () => {
    const plain = await faultServer();
    const split = await faultServer({
      faults: everyPlace.map((at): Fault => ({ at, action: 'split' })),
    });
    const slow: Partial<SendMailOptions> = { ...securedAuth, timeouts: { command: 2_000 } };
    const expected = await sendSuccess('unsplit', faultSend(plain.port, slow));
    const result = await sendSuccess('split at every byte', faultSend(split.port, slow));
    expect(result.transcript).toEqual(expected.transcript);
    expect(result.accepted).toEqual(expected.accepted);
    expect(split.accepted).toEqual(plain.accepted);
    expect(split.connections[0]?.commands).toEqual(plain.connections[0]?.commands);
  });
});

/** A reply no client may accept, and why (RFC 5321 4.2). */
const malformed: readonly [string, FaultAction][] = [
  ['a non-numeric code', { reply: ['ABC mx.test ready'] }],
  ['a code with a letter', { reply: ['2x0 mx.test ready'] }],
  ['a two-digit code', { reply: ['22 mx.test ready'] }],
  ['a four-digit code', { reply: ['2200 mx.test ready'] }],
  ['a code below 200', { reply: ['199 mx.test ready'] }],
  ['a code above 599', { reply: ['600 mx.test ready'] }],
  ['a second digit above 5', { reply: ['270 mx.test ready'] }],
  ['a bad separator', { reply: ['220_mx.test ready'] }],
  ['mismatched multi-line codes', { reply: ['220-mx.test', '221 ready'] }],
  ['a bare CR inside a line', { raw: '220 mx.test\rready\r\n' }],
  ['an endless multi-line reply', { endless: 'lines' }],
  ['an endless line', { endless: 'line' }],
];

describe('a malformed reply', () => {
  it.each(malformed)('as the greeting (%s): a protocol error, nothing sent', async (_n, action) => {
    const server = await faultServer({ faults: [{ at: 'greeting', action }] });
    const error = await sendFailure('malformed greeting', faultSend(server.port));
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error.phase).toBe('greeting');
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/^The server sent a malformed reply: .*during greeting/);
    expect(server.connections[0]?.commands).toEqual([]);
    await server.connections[0]?.closed;
  });

  it.each(malformed.map(([name, action]) => [name, withCode(action, '250')] as const))(
    'to RCPT (%s): a protocol error in rcpt, no content sent',
    async (_name, action) => {
      const server = await faultServer({ faults: [{ at: 'RCPT', action }] });
      const error = await sendFailure('malformed RCPT reply', faultSend(server.port, securedAuth));
      expect(error).toBeInstanceOf(SmtpProtocolError);
      expect(error.phase).toBe('rcpt');
      expect(error.outcome).toBe('not-delivered');
      expect(error.message).toMatch(/during rcpt \(RCPT TO:<dev@example\.com>\)/);
      expectNoContent(server);
    },
  );

  it('during AUTH: named without quoting the server, which may echo the credentials', async () => {
    const echo = { raw: 'AGNp\r\n' } as const;
    const server = await faultServer({ faults: [{ at: 'AUTH', action: echo }] });
    const error = await sendFailure('malformed AUTH reply', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpProtocolError);
    expect(error.phase).toBe('auth');
    expect(error.message).toMatch(/its text is not shown because it may echo the credentials/);
    expect(error.message).not.toContain('AGNp');
    const [connection] = server.connections;
    if (connection !== undefined) expectPasswordOnlyInAuth(connection);
  });
});

/** The same fault with its 3-digit code (when it has one at the start) replaced. */
function withCode(action: FaultAction, code: string): FaultAction {
  if (typeof action !== 'object' || !('reply' in action)) return action;
  return { reply: action.reply.map((line) => line.replace(/^220/, code)) };
}

describe('a well-formed reply of the wrong class', () => {
  it.each([
    ['354 to MAIL', 'MAIL', '354 Start mail input', 'mail'],
    ['334 to MAIL', 'MAIL', '334 VXNlcm5hbWU6', 'mail'],
    ['250 to DATA', 'DATA', '250 2.0.0 OK', 'data'],
    ['354 to the final dot', 'dot', '354 go on', 'message'],
  ] as const)('%s: refused, and no content follows it', async (_name, at, line, phase) => {
    const server = await faultServer({ faults: [{ at, action: { reply: [line] } }] });
    const error = await sendFailure(`wrong class: ${line}`, faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.phase).toBe(phase);
    expect(error.code).toBe(Number(line.slice(0, 3)));
    expect(error.message).toContain(`the server replied ${line}`);
    if (at !== 'dot') expectNoContent(server);
    else expect(server.accepted).toEqual([]);
  });

  it('354 to RCPT: the recipient counts as refused, quoting the reply', async () => {
    const faults = [{ at: 'RCPT', action: { reply: ['354 Start mail input'] } }] as const;
    const server = await faultServer({ faults });
    const error = await sendFailure('354 to RCPT', faultSend(server.port, securedAuth));
    expect(error.name).toBe('SmtpRecipientsError');
    expect(error.phase).toBe('rcpt');
    expect(error.message).toContain('dev@example.com (354 Start mail input)');
    expectNoContent(server);
  });

  it('354 to MAIL from a server that then takes RCPT and DATA: still no content', async () => {
    // A pipelining server out of step answers MAIL with a 3yz; the envelope is not accepted
    // (RFC 5321 4.3.2: MAIL succeeds only with 250), whatever the replies after it say.
    const faults: Fault[] = [
      { at: 'MAIL', action: { reply: ['354 Start mail input'] } },
      { at: 'RCPT', action: { reply: ['250 2.1.5 OK'] } },
      { at: 'DATA', action: { reply: ['354 go ahead'] } },
    ];
    const server = await faultServer({ faults });
    const error = await sendFailure('354 to MAIL', faultSend(server.port, securedAuth));
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error.phase).toBe('mail');
    expect(error.code).toBe(354);
    expect(error.message).toMatch(/^MAIL FROM:<ci@example\.com> failed: the server replied 354/);
    expectNoContent(server);
  });
});

describe('a reply line shaped like a GitHub workflow command (CVE-2020-15228)', () => {
  it.each([
    ['::error::', 'RCPT', ['550-5.1.1 Unknown user', '550 ::error::pwned']],
    ['::add-mask::', 'MAIL', ['553-5.7.1 Sender refused', '553 ::add-mask::hide-this']],
    ['a line break', 'dot', ['554 5.7.1 Rejected\u2028::error::pwned']],
  ] as const)('%s stays inside one line of the error', async (_name, at, reply) => {
    const server = await faultServer({ faults: [{ at, action: { reply } }] });
    const error = await sendFailure(`workflow command at ${at}`, faultSend(server.port));
    expect(error.message).toContain('::');
    for (const text of [error.message, String(error)]) {
      expect(text.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/)).toHaveLength(1);
      expect(text.trimStart().startsWith('::')).toBe(false);
    }
    for (const entry of error.transcript) {
      expect(entry.text.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/)).toHaveLength(1);
      expect(entry.text.trimStart().startsWith('::')).toBe(false);
    }
  });

  it('in a 250 to the dot, the reply is kept as the server sent it, for the action to escape', async () => {
    const reply = { reply: ['250 2.0.0 queued ::add-mask::x ::error::y'] } as const;
    const server = await faultServer({ faults: [{ at: 'dot', action: reply }] });
    const result = await sendMail(faultSend(server.port));
    expect(result.reply.lines).toEqual(['2.0.0 queued ::add-mask::x ::error::y']);
  });
});

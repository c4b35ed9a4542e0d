// Issue 6, part 1: AUTH (RFC 4954) against a server that challenges forever, sends challenges
// that are not base64, or quotes our AUTH line back in its error. Each exchange must end (the
// client cancels with `*`), the error must name AUTH and its mechanism, and no form of the
// password or token may leave the AUTH exchange: not in the error, not in any other line.
// Overlap: test/smtp/auth/exchange.test.ts drives the same cancellations through a scripted
// channel, and test/smtp/session-secrets.test.ts an echo inside a malformed reply; here the
// whole session, over the wire, with what the server received.
import { describe, expect, it } from 'vitest';
import {
  SmtpAuthError,
  SmtpConnectionError,
  SmtpTimeoutError,
  type AuthMechanismName,
} from '../../src/smtp/index.js';
import type { FaultAction } from '../helpers/fault-server.js';
import { TEST_PASSWORD, TEST_TOKEN, TEST_USERNAME } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import {
  errorText,
  expectNoContent,
  expectPasswordOnlyInAuth,
  faultSend,
  faultServer,
  sendFailure,
} from './server-fixtures.js';

const mechanisms: readonly AuthMechanismName[] = [
  'PLAIN',
  'LOGIN',
  'CRAM-MD5',
  'XOAUTH2',
  'SCRAM-SHA-256',
];

/** The secret each mechanism carries: XOAUTH2 takes a token, the others the password. */
const secretOf = (mechanism: AuthMechanismName): string =>
  mechanism === 'XOAUTH2' ? TEST_TOKEN : TEST_PASSWORD;

/**
 * A plaintext session to loopback (AUTH allowed there) offering only `mechanism`, by default
 * without PIPELINING: then every mechanism, PLAIN too, runs its exchange on its own (with it,
 * PLAIN may lead the envelope group, RFC 4954 4; see the last describe).
 */
async function authFailure(
  mechanism: AuthMechanismName,
  action: FaultAction,
  nth?: number,
  pipelining = false,
) {
  const server = await faultServer({
    authMechanisms: [mechanism],
    pipelining,
    faults: [{ at: 'AUTH', ...(nth === undefined ? {} : { nth }), action }],
  });
  const auth = { username: TEST_USERNAME, password: secretOf(mechanism), mechanism };
  const error = await sendFailure(`AUTH ${mechanism}`, faultSend(server.port, { auth }));
  const [connection] = server.connections;
  if (connection === undefined) throw new Error('no connection');
  assertNoSecrets(errorText(error), [secretOf(mechanism)]);
  expectPasswordOnlyInAuth(connection);
  expectNoContent(server);
  expect(error.phase).toBe('auth');
  return { error, connection };
}

describe('a server that challenges forever', () => {
  it.each(mechanisms)('is cancelled with * by %s, after a bounded exchange', async (mechanism) => {
    const forever = { challengeForever: 'Password:' };
    const { error, connection } = await authFailure(mechanism, forever);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.command).toBe(`AUTH ${mechanism}`);
    // Each mechanism says in its own words what was wrong; each names itself.
    expect(error.message).toContain(mechanism.replace('-SHA-256', ''));
    expect(connection.authLines.at(-1)).toBe('*');
    expect(connection.authLines.length).toBeLessThanOrEqual(4);
    expect(connection.commands.some((line) => /^MAIL/.test(line))).toBe(false);
  });
});

describe('a challenge that is not base64', () => {
  it.each(mechanisms)('is cancelled with * by %s, saying so', async (mechanism) => {
    const { error, connection } = await authFailure(mechanism, 'badBase64');
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toContain(
      `The server sent a ${mechanism} challenge that is not valid base64; authentication was cancelled.`,
    );
    expect(connection.authLines.at(-1)).toBe('*');
    expect(connection.authLines.length).toBeLessThanOrEqual(2);
  });
});

describe('a server that echoes our AUTH line back in its error', () => {
  it.each([
    ['PLAIN', 'its initial response', 1],
    ['LOGIN', 'the password line', 3],
    ['LOGIN', 'the username line', 2],
    ['XOAUTH2', 'its initial response (the token)', 1],
  ] as const)('%s: the echo of %s is redacted everywhere', async (mechanism, _what, nth) => {
    const { error, connection } = await authFailure(mechanism, { echo: 535 }, nth);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.code).toBe(535);
    expect(error.message).toMatch(new RegExp(`^AUTH ${mechanism} failed: the server replied 535`));
    // The echo really carried the secret: the server got it on that very line.
    const echoed = connection.authLines[nth - 1] ?? '';
    expect(echoed.length).toBeGreaterThan(0);
    if (nth !== 2) expect(() => assertNoSecrets(echoed, [secretOf(mechanism)])).toThrow();
    expect(error.message).toContain('check the username and password');
  });
});

describe('an AUTH exchange that breaks', () => {
  it.each([
    ['dropped', 'drop', SmtpConnectionError],
    ['never answered', 'silent', SmtpTimeoutError],
  ] as const)('%s after the PLAIN line: transient, no secret quoted', async (_n, action, type) => {
    const { error } = await authFailure('PLAIN', action);
    expect(error).toBeInstanceOf(type);
    expect(error.transient).toBe(true);
    expect(error.command).toBe('AUTH PLAIN');
    expect(error.message).toMatch(/AUTH PLAIN/);
  });

  it('dropped after the LOGIN password: the step is named, the password line is not', async () => {
    const { error } = await authFailure('LOGIN', 'drop', 3);
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(error.command).toBe('AUTH LOGIN (response)');
  });
});

describe('AUTH PLAIN leading a pipelined envelope group (RFC 4954 4)', () => {
  it.each([
    ['challenged forever', { challengeForever: 'Password:' }],
    ['sent a challenge that is not base64', 'badBase64'],
  ] as const)('%s: ends without content, the session closed', async (_name, action) => {
    const { error, connection } = await authFailure('PLAIN', action, undefined, true);
    // The server took MAIL, RCPT and DATA for SASL responses: it is out of step, and a `*`
    // now would be read as one more. The client must stop; whether it sends `*` first is its
    // choice, but nothing after the group.
    expect(error.command).toBe('AUTH PLAIN');
    expect(connection.authLines.length).toBeLessThanOrEqual(5);
    await connection.closed;
    expect(connection.commands.filter((line) => line === 'QUIT')).toEqual([]);
  });

  it('refused with 535 and the AUTH line echoed: MAIL refused too, nothing sent', async () => {
    const { error, connection } = await authFailure('PLAIN', { echo: 535 }, undefined, true);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.code).toBe(535);
    await connection.closed;
    expect(connection.authLines).toHaveLength(1);
  });
});

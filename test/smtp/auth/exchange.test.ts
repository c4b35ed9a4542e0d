import { describe, expect, it } from 'vitest';
import {
  CramMd5Mechanism,
  LoginMechanism,
  PlainMechanism,
  Xoauth2Mechanism,
  authenticate,
  secretFormsOf,
  type SaslMechanism,
} from '../../../src/smtp/auth/index.js';
import { SmtpAuthError } from '../../../src/smtp/errors.js';
import {
  captureErrorForHygiene,
  TEST_PASSWORD,
  TEST_TOKEN,
  TEST_USERNAME,
} from '../../helpers/hygiene.js';
import { assertNoSecrets } from '../../helpers/secrets.js';
import { base64, rejectionOf, reply, scriptChannel } from './scripted-channel.js';

const credentials = { username: TEST_USERNAME, password: TEST_PASSWORD };
const token = TEST_TOKEN;

/** Asserts that nothing secret is in the error's message or in the reply it carries. */
function assertRedacted(error: Error, secrets: string[]): void {
  assertNoSecrets(error.message, secrets);
  assertNoSecrets(JSON.stringify(error), secrets);
}

/** The error `promise` rejects with, also handed to the suite's closing hygiene check. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await rejectionOf(promise);
  captureErrorForHygiene('an AUTH exchange error', error);
  return error;
}

/** A mechanism with a fixed behaviour, for the exchange's own rules. */
function fakeMechanism(overrides: Partial<SaslMechanism>): SaslMechanism {
  return {
    name: 'FAKE',
    initialResponse: () => undefined,
    respond: () => new Uint8Array(0),
    ...overrides,
  };
}

describe('authenticate: the command and responses', () => {
  it('sends PLAIN with its initial response, marked sensitive, and returns the 235 reply', async () => {
    const channel = scriptChannel(() => reply(235, '2.7.0 Accepted'));
    const result = await authenticate(channel, new PlainMechanism(credentials));
    expect(result).toEqual(reply(235, '2.7.0 Accepted'));
    expect(channel.sent).toEqual([
      {
        line: `AUTH PLAIN ${base64(`\0${credentials.username}\0${credentials.password}`)}`,
        sensitive: true,
      },
    ]);
  });

  it('sends "=" for an empty initial response (RFC 4954 4)', async () => {
    const channel = scriptChannel(() => reply(235));
    await authenticate(channel, fakeMechanism({ initialResponse: () => new Uint8Array(0) }));
    expect(channel.sent[0]?.line).toBe('AUTH FAKE =');
  });

  it('answers LOGIN prompts in base64, marking each answer sensitive', async () => {
    const prompts = ['VXNlcm5hbWU6', 'UGFzc3dvcmQ6'];
    const channel = scriptChannel((_line, index) =>
      index < 2 ? reply(334, prompts[index]) : reply(235),
    );
    await authenticate(channel, new LoginMechanism(credentials));
    expect(channel.sent).toEqual([
      { line: 'AUTH LOGIN', sensitive: false },
      { line: base64(credentials.username), sensitive: true },
      { line: base64(credentials.password), sensitive: true },
    ]);
  });

  it('answers a CRAM-MD5 challenge', async () => {
    const channel = scriptChannel((_line, index) =>
      index === 0 ? reply(334, base64('<1896.697170952@postoffice.reston.mci.net>')) : reply(235),
    );
    const cram = new CramMd5Mechanism({ username: 'tim', password: 'tanstaaftanstaaf' });
    await authenticate(channel, cram);
    expect(channel.sent[1]?.line).toBe('dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw');
  });
});

describe('authenticate: cancelling', () => {
  it.each([
    ['not base64 at all', 'Username:'],
    ['missing padding', 'VXNlcm5hbWU'],
    ['bad characters', 'VXNl*m5hbWU6'],
    ['non-canonical padding bits', 'VXNlcm5hbWV='],
  ])('sends * and throws on a challenge that is %s', async (_name, challenge) => {
    const channel = scriptChannel((line) =>
      line === '*' ? reply(501, 'Authentication aborted') : reply(334, challenge),
    );
    const error = await failureOf(authenticate(channel, new LoginMechanism(credentials)));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(/not valid base64/);
    expect(channel.sent.map((entry) => entry.line)).toEqual(['AUTH LOGIN', '*']);
  });

  it('stops an endless run of challenges after the limit, with *', async () => {
    const channel = scriptChannel((line) => (line === '*' ? reply(501) : reply(334, '')));
    const error = await failureOf(authenticate(channel, fakeMechanism({}), { maxChallenges: 5 }));
    expect(error.message).toMatch(/kept sending/);
    expect(channel.sent).toHaveLength(1 + 5 + 1);
    expect(channel.sent.at(-1)?.line).toBe('*');
  });

  it('sends * when the mechanism refuses a challenge, and rethrows its error', async () => {
    const channel = scriptChannel((line) =>
      line === '*' ? reply(501) : reply(334, base64('PIN:')),
    );
    const error = await failureOf(authenticate(channel, new LoginMechanism(credentials)));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(/neither a username nor a password prompt/);
    expect(error).toMatchObject({ phase: 'auth', command: 'AUTH LOGIN', code: 334 });
    expect(channel.sent.at(-1)?.line).toBe('*');
  });

  it('keeps the reason when the channel fails while cancelling', async () => {
    const channel = scriptChannel((line) => {
      if (line === '*') throw new Error('socket closed');
      return reply(334, '!!');
    });
    const error = await failureOf(authenticate(channel, new LoginMechanism(credentials)));
    expect(error.message).toMatch(/not valid base64/);
  });
});

describe('authenticate: failures', () => {
  it('throws SmtpAuthError with the code, enhanced code and a hint on 535', async () => {
    const failure = { code: 535, enhancedCode: '5.7.8', lines: ['5.7.8 Authentication failed'] };
    const channel = scriptChannel(() => failure);
    const error = await failureOf(authenticate(channel, new PlainMechanism(credentials)));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error).toMatchObject({ code: 535, enhancedCode: '5.7.8', isPermanent: true });
    expect(error.message).toMatch(/^AUTH PLAIN failed: the server replied 535 5\.7\.8/);
    expect(error.message).toMatch(/check the username and password/);
    assertRedacted(error, [credentials.password]);
  });

  it('marks a 454 as transient', async () => {
    const channel = scriptChannel(() => reply(454, '4.7.0 Temporary authentication failure'));
    const error = await failureOf(authenticate(channel, new PlainMechanism(credentials)));
    expect(error).toMatchObject({ transient: true, code: 454 });
  });

  it('redacts a server that echoes our AUTH line, the password, or part of the blob', async () => {
    const blob = base64(`\0${credentials.username}\0${credentials.password}`);
    const echo = `5.7.8 bad credentials "${blob}" (${credentials.password}) ${blob.slice(3, -2)}`;
    const channel = scriptChannel(() => reply(535, echo));
    const error = await failureOf(
      authenticate(channel, new PlainMechanism(credentials), {
        secrets: secretFormsOf(credentials),
      }),
    );
    expect(error.message).toContain('[redacted]');
    assertRedacted(error, [credentials.password]);
  });

  it('redacts what it sent even without being told the secrets', async () => {
    const prompts = ['VXNlcm5hbWU6', 'UGFzc3dvcmQ6'];
    const channel = scriptChannel((line, index) =>
      index < 2 ? reply(334, prompts[index]) : reply(535, `rejected ${line}`),
    );
    const error = await failureOf(authenticate(channel, new LoginMechanism(credentials)));
    assertRedacted(error, [credentials.password]);
  });

  it('reports the XOAUTH2 JSON status after the empty response, never the token', async () => {
    const json = JSON.stringify({
      status: '401',
      schemes: 'Bearer',
      scope: 'https://mail.google.com/',
    });
    const channel = scriptChannel((line, index) => {
      if (index === 0) return reply(334, base64(json));
      expect(line).toBe('');
      return reply(535, `5.7.8 Username and Password not accepted ${base64(token)}`);
    });
    const tokenCredentials = { username: 'someone@example.test', password: token };
    const error = await failureOf(
      authenticate(channel, new Xoauth2Mechanism(tokenCredentials), {
        secrets: secretFormsOf(tokenCredentials),
      }),
    );
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(/XOAUTH2 status 401, schemes Bearer, scope https:\/\/mail/);
    expect(error.message).toMatch(/expired/);
    expect(channel.sent[1]).toEqual({ line: '', sensitive: false });
    assertRedacted(error, [token]);
  });

  it('passes verifySuccess the base64 data after 235, and fails if it throws', async () => {
    const seen: string[] = [];
    const mechanism = fakeMechanism({
      verifySuccess: (data) => {
        seen.push(Buffer.from(data ?? []).toString('utf8'));
        throw new SmtpAuthError(`bad proof for ${credentials.password}`, { phase: 'auth' });
      },
    });
    const channel = scriptChannel(() => reply(235, base64('v=proof')));
    const error = await failureOf(
      authenticate(channel, mechanism, { secrets: secretFormsOf(credentials) }),
    );
    expect(seen).toEqual(['v=proof']);
    expect(error).toMatchObject({ phase: 'auth', command: 'AUTH FAKE', code: 235 });
    assertRedacted(error, [credentials.password]);
  });

  it('passes undefined to verifySuccess when the 235 text is not base64', async () => {
    const seen: (Uint8Array | undefined)[] = [];
    const mechanism = fakeMechanism({ verifySuccess: (data) => void seen.push(data) });
    await authenticate(
      scriptChannel(() => reply(235, '2.7.0 Authentication successful')),
      mechanism,
    );
    expect(seen).toEqual([undefined]);
  });
});

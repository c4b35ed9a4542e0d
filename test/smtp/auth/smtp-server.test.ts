import { afterEach, describe, expect, it } from 'vitest';
import type { SMTPServer, SMTPServerAuthentication } from 'smtp-server';
import {
  authenticate,
  chooseMechanism,
  createMechanism,
  secretFormsOf,
  type AuthMechanismName,
} from '../../../src/smtp/auth/index.js';
import { SmtpAuthError } from '../../../src/smtp/errors.js';
import {
  captureErrorForHygiene,
  TEST_PASSWORD,
  TEST_TOKEN,
  TEST_USERNAME,
} from '../../helpers/hygiene.js';
import { assertNoSecrets } from '../../helpers/secrets.js';
import { rejectionOf } from './scripted-channel.js';
import { openSession, startServer, type TestSession } from './smtp-server-channel.js';

// Against the real smtp-server package, which implements PLAIN, LOGIN, CRAM-MD5 and XOAUTH2.
// The server accepts a password with characters a parser might trip on; the failures send the
// suite's shared test secrets, so that the closing hygiene check looks for them in the errors.
const USERNAME = TEST_USERNAME;
const PASSWORD = 'p@ss w0rd:with=odd,chars€';
const TOKEN = 'ya29.real-looking-oauth-token-value';

/** The error `promise` rejects with, also handed to the suite's closing hygiene check. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await rejectionOf(promise);
  captureErrorForHygiene('an AUTH error from a real smtp-server', error);
  return error;
}

/** Accepts exactly our credentials, the way each mechanism lets a server check them. */
function checkCredentials(auth: SMTPServerAuthentication): boolean {
  if (auth.username !== USERNAME) return false;
  if (auth.method === 'XOAUTH2') return auth.accessToken === TOKEN;
  if (auth.method === 'CRAM-MD5') return auth.validatePassword(PASSWORD);
  return auth.password === PASSWORD;
}

let server: SMTPServer | undefined;
let session: TestSession | undefined;

afterEach(async () => {
  await session?.close();
  await new Promise<void>((resolve) => (server ? server.close(resolve) : resolve()));
  server = session = undefined;
});

async function connect(
  authMethods: AuthMechanismName[],
  echoOnFailure = false,
): Promise<TestSession> {
  server = await startServer({
    authMethods,
    onAuth(auth, _session, callback) {
      if (checkCredentials(auth)) return callback(null, { user: auth.username });
      if (auth.method === 'XOAUTH2') {
        const data = { status: '401', schemes: 'bearer', scope: 'https://mail.example.test/' };
        return callback(null, { data });
      }
      // A careless server that quotes what it was given.
      const quoted = echoOnFailure ? ` for ${auth.password ?? ''}` : '';
      return callback(new Error(`Invalid username or password${quoted}`));
    },
  });
  session = await openSession(server);
  return session;
}

describe('AUTH against a real smtp-server', () => {
  it.each(['PLAIN', 'LOGIN', 'CRAM-MD5'] as const)(
    '%s succeeds with the right password',
    async (name) => {
      const { channel, offered } = await connect([name]);
      expect(chooseMechanism(offered, 'auto')).toBe(name);
      const credentials = { username: USERNAME, password: PASSWORD };
      const result = await authenticate(channel, createMechanism(name, credentials));
      expect(result.code).toBe(235);
    },
  );

  it('auto picks CRAM-MD5 over PLAIN and LOGIN from the real EHLO, and it works', async () => {
    const { channel, offered } = await connect(['PLAIN', 'LOGIN', 'CRAM-MD5']);
    const name = chooseMechanism(offered, 'auto');
    expect(name).toBe('CRAM-MD5');
    const mechanism = createMechanism(name, { username: USERNAME, password: PASSWORD });
    await expect(authenticate(channel, mechanism)).resolves.toMatchObject({ code: 235 });
  });

  it.each(['PLAIN', 'LOGIN', 'CRAM-MD5'] as const)(
    '%s fails with SmtpAuthError 535 on a wrong password, echoed or not, without leaking it',
    async (name) => {
      const wrong = TEST_PASSWORD;
      const { channel } = await connect([name], true);
      const credentials = { username: USERNAME, password: wrong };
      const error = await failureOf(
        authenticate(channel, createMechanism(name, credentials), {
          secrets: secretFormsOf(credentials),
        }),
      );
      expect(error).toBeInstanceOf(SmtpAuthError);
      expect(error).toMatchObject({ code: 535, phase: 'auth', command: `AUTH ${name}` });
      assertNoSecrets(error.message, [wrong]);
      assertNoSecrets(JSON.stringify(error), [wrong]);
    },
  );

  it('XOAUTH2 succeeds with the right token', async () => {
    const { channel, offered } = await connect(['XOAUTH2']);
    const mechanism = createMechanism(chooseMechanism(offered, 'XOAUTH2'), {
      username: USERNAME,
      password: TOKEN,
    });
    await expect(authenticate(channel, mechanism)).resolves.toMatchObject({ code: 235 });
  });

  it('XOAUTH2 failure reports the JSON status, and the token appears nowhere', async () => {
    const { channel } = await connect(['XOAUTH2']);
    const credentials = { username: USERNAME, password: TEST_TOKEN };
    const error = await failureOf(
      authenticate(channel, createMechanism('XOAUTH2', credentials), {
        secrets: secretFormsOf(credentials),
      }),
    );
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(/535 .*XOAUTH2 status 401, schemes bearer/);
    assertNoSecrets(error.message, [credentials.password]);
  });

  it('the server accepts our * cancellation with 501, leaving the session usable', async () => {
    const { channel } = await connect(['LOGIN']);
    const answer = await channel.send('AUTH LOGIN', false);
    expect(answer.code).toBe(334);
    expect((await channel.send('*', false)).code).toBe(501);
    expect((await channel.send('NOOP', false)).code).toBe(250);
  });
});

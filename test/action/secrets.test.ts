// Masking: every secret form reaches the runner's mask before anything can throw, and nothing
// empty is ever registered. The errors readSettings throws go to the suite's closing hygiene
// check (test/hygiene); what the recording mask receives is meant to hold secrets, and does not.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSettings } from '../../src/action/settings.js';
import { secretFormsOf } from '../../src/smtp/index.js';
import {
  captureErrorForHygiene,
  TEST_PASSWORD,
  TEST_TOKEN,
  TEST_USERNAME,
} from '../helpers/hygiene.js';
import { baseInputs, envFrom, readWith as readRecorded, type Recorded } from './inputs-env.js';

/** readWith, handing the error readSettings threw (if any) to the hygiene check. */
async function readWith(...args: Parameters<typeof readRecorded>): Promise<Recorded> {
  const recorded = await readRecorded(...args);
  if (recorded.error !== undefined) captureErrorForHygiene('a readSettings error', recorded.error);
  return recorded;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The forms AUTH sends, computed here independently of src/smtp/auth/secret-forms.ts. */
function authForms(username: string, password: string): string[] {
  return [
    b64(password), // LOGIN (RFC 4954 examples)
    b64(`\0${username}\0${password}`), // PLAIN (RFC 4616 2)
    b64(`user=${username}\x01auth=Bearer ${password}\x01\x01`), // XOAUTH2
  ];
}

function expectNoneEmpty(masked: string[]): void {
  expect(masked.filter((value) => value.trim() === '')).toEqual([]);
}

describe('masking the password input', () => {
  it('masks the password and every form AUTH sends', async () => {
    const { masked, settings } = await readWith({
      ...baseInputs,
      username: TEST_USERNAME,
      password: TEST_PASSWORD,
    });
    expect(settings).toBeDefined();
    expect(masked).toContain(TEST_PASSWORD);
    expect(masked).toEqual(expect.arrayContaining(authForms(TEST_USERNAME, TEST_PASSWORD)));
    expect(masked).toEqual(
      expect.arrayContaining(secretFormsOf({ username: TEST_USERNAME, password: TEST_PASSWORD })),
    );
    expectNoneEmpty(masked);
  });

  it('does not mask the username input, which is often the From address', async () => {
    const { masked } = await readWith({
      ...baseInputs,
      username: 'ci@example.com',
      password: TEST_PASSWORD,
    });
    expect(masked).not.toContain('ci@example.com');
  });

  it('masks before an unrelated input fails validation', async () => {
    const { masked, error } = await readWith({
      ...baseInputs,
      mode: 'sned',
      username: TEST_USERNAME,
      password: TEST_PASSWORD,
    });
    expect(error).toBeDefined();
    expect(masked).toContain(TEST_PASSWORD);
    expect(masked).toEqual(expect.arrayContaining(authForms(TEST_USERNAME, TEST_PASSWORD)));
  });

  it('masks a multi-line secret line by line as well as whole', async () => {
    const { masked } = await readWith({
      ...baseInputs,
      username: 'u',
      password: 'line-one\nline-two',
    });
    expect(masked).toEqual(expect.arrayContaining(['line-one\nline-two', 'line-one', 'line-two']));
  });

  it('masks nothing when there is no secret', async () => {
    const { masked } = await readWith({ ...baseInputs });
    expect(masked).toEqual([]);
  });

  it('registers each value once', async () => {
    const { masked } = await readWith({
      ...baseInputs,
      username: TEST_USERNAME,
      password: TEST_PASSWORD,
    });
    expect(new Set(masked).size).toBe(masked.length);
  });
});

describe('masking connection-url', () => {
  const noServer = { from: 'ci@example.com', to: 'dev@example.com' };

  it('masks the URL and its parts, raw and decoded, and the AUTH forms of the decoded ones', async () => {
    const url = 'smtps://ci%40example.com:p%40ss%2Fw0rd@mail.example.com';
    const { masked, settings } = await readWith({ ...noServer, 'connection-url': url });
    expect(settings?.server?.auth?.password).toBe('p@ss/w0rd');
    expect(masked).toEqual(
      expect.arrayContaining([
        url,
        'smtps://ci@example.com:p@ss/w0rd@mail.example.com',
        'ci%40example.com',
        'p%40ss%2Fw0rd',
        'ci@example.com',
        'p@ss/w0rd',
        ...authForms('ci@example.com', 'p@ss/w0rd'),
      ]),
    );
    expectNoneEmpty(masked);
  });

  it.each([
    [
      'has a path',
      'smtp://bad-user:bad%2Bpass@mail.example.com/inbox',
      'bad-user',
      'bad%2Bpass',
      'bad+pass',
    ],
    [
      'has a bad escape',
      'smtp://bad-user:bad%zzpass@mail.example.com',
      'bad-user',
      'bad%zzpass',
      undefined,
    ],
    [
      'has an http scheme',
      'http://bad%20user:bad-pass@mail.example.com',
      'bad%20user',
      'bad-pass',
      undefined,
    ],
    // An unencoded # and / break the URL parser's reading; the password is still cut out.
    [
      'cannot be parsed',
      'smtp://bad-user:pa/ss#w?rd@mail.example.com',
      'bad-user',
      'pa/ss#w?rd',
      undefined,
    ],
    ['has no scheme', 'bad-user:bad-pass@mail.example.com:587', 'bad-user', 'bad-pass', undefined],
    [
      'has a line break in the password',
      'smtps://bad-user:bad-pa\nss-word@mail.example.com',
      'bad-user',
      'bad-pa\nss-word',
      undefined,
    ],
  ])(
    'masks every part BEFORE refusing a URL that %s',
    async (_why, url, user, password, decoded) => {
      const { masked, error } = await readWith({ ...noServer, 'connection-url': url });
      expect((error as Error | undefined)?.message).toMatch(/^Input "connection-url": /);
      expect(masked).toEqual(expect.arrayContaining([url, user, password]));
      if (decoded !== undefined) expect(masked).toContain(decoded);
      const message = (error as Error).message;
      for (const secret of [url, user, password, decoded ?? url])
        expect(message).not.toContain(secret);
      expectNoneEmpty(masked);
    },
  );

  it('masks nothing empty for a URL with empty user info', async () => {
    const { masked } = await readWith({
      ...noServer,
      'connection-url': 'smtp://:@mail.example.com',
    });
    // The URL, and its host (every part of the URL is masked); nothing for the empty user info.
    expect(masked).toEqual(['smtp://:@mail.example.com', 'mail.example.com']);
  });
});

describe('masking the proxy', () => {
  it('masks the proxy password raw and decoded, and its Basic credentials', async () => {
    const proxy = 'http://squid-user:pr%3Fxy-pass@proxy.internal:3128';
    const { masked, settings } = await readWith({ ...baseInputs, proxy });
    expect(settings?.server?.proxy).toBe(proxy);
    expect(masked).toEqual(
      expect.arrayContaining(['pr%3Fxy-pass', 'pr?xy-pass', b64('squid-user:pr?xy-pass')]),
    );
    expectNoneEmpty(masked);
  });

  it('masks a proxy user that carries the credential alone (a token, no password)', async () => {
    const proxy = 'http://tok%2Ben-7f3a9c@proxy.internal:3128';
    const { masked, settings } = await readWith({ ...baseInputs, proxy });
    expect(settings?.server?.proxy).toBe(proxy);
    // What the client sends: Proxy-Authorization: Basic base64("tok+en-7f3a9c:").
    expect(masked).toEqual(
      expect.arrayContaining(['tok%2Ben-7f3a9c', 'tok+en-7f3a9c', b64('tok+en-7f3a9c:')]),
    );
  });

  it('masks, then refuses without quoting, a proxy password with a bad % escape', async () => {
    const { masked, error } = await readWith({
      ...baseInputs,
      proxy: `http://squid:${TEST_TOKEN}%zz@proxy.internal:3128`,
    });
    expect(masked).toContain(`${TEST_TOKEN}%zz`);
    expect((error as Error | undefined)?.message).toMatch(/^Input "proxy": /);
    expect((error as Error).message).not.toContain(TEST_TOKEN);
  });

  it('masks the password of SMTP_PROXY even when it is malformed', async () => {
    const { masked, error } = await readWith(baseInputs, {
      SMTP_PROXY: `socks://u:${TEST_TOKEN}@p:1`,
    });
    expect(error).toBeDefined();
    expect(masked).toContain(TEST_TOKEN);
    expect((error as Error).message).not.toContain(TEST_TOKEN);
  });
});

describe('the default mask', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is core.setSecret: an ::add-mask:: command for each secret', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    await readSettings({
      env: envFrom({ ...baseInputs, username: 'u', password: 'stdout-secret' }),
    });
    vi.restoreAllMocks();
    expect(written.join('')).toContain(`::add-mask::stdout-secret`);
    expect(written.join('')).toContain(`::add-mask::${b64('stdout-secret')}`);
  });
});

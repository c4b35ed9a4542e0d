// The suite's closing secret check must itself be able to fail: a planted leak in every form a
// run could print it is found and named by where it was seen, never quoted; clean text passes.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  captureForHygiene,
  TEST_PASSWORD,
  TEST_TOKEN,
  TEST_USERNAME,
  withoutMaskCommands,
  type HygieneCapture,
} from '../helpers/hygiene.js';
import {
  checkCaptures,
  describeLeaks,
  findLeaks,
  projectSecrets,
  readCaptures,
} from './leak-check.js';

const root = '/work/project';
const secrets = projectSecrets('unit', root);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A capture as a worker writes it, from a test file under `root`. */
function captured(text: string, source = 'stderr of a run'): HygieneCapture {
  return { source, text, file: `${root}/test/e2e/some.test.ts`, test: 'suite > a test' };
}

/** The leaks found in `text` as one capture, as "<secret> (<form>)". */
function leaksIn(text: string): string[] {
  return findLeaks([captured(text)], secrets, root).map((leak) => `${leak.secret} (${leak.form})`);
}

describe('the hygiene check finds a planted secret', () => {
  it.each([
    ['the password as it is', `535 bad password ${TEST_PASSWORD} for you`, 'TEST_PASSWORD'],
    ['the token as it is', `Bearer ${TEST_TOKEN}`, 'TEST_TOKEN'],
    [
      'the password percent-encoded',
      `smtp://u:${encodeURIComponent(TEST_PASSWORD)}@h`,
      'TEST_PASSWORD',
    ],
  ])('%s', (_name, text, secret) => {
    expect(leaksIn(text).some((leak) => leak.startsWith(`${secret} (`))).toBe(true);
  });

  it.each([0, 1, 2, 3, 4, 5])('in base64 after a prefix of %i bytes', (length) => {
    const blob = b64(`${'p'.repeat(length)}${TEST_PASSWORD}${'s'.repeat(length)}`);
    expect(leaksIn(`echo ${blob} back`)).toContain(
      `TEST_PASSWORD (base64 at offset ${length % 3})`,
    );
  });

  it.each([
    ['a PLAIN blob', b64(`\0${TEST_USERNAME}\0${TEST_PASSWORD}`), 'TEST_PASSWORD'],
    [
      'a PLAIN blob with an authzid',
      b64(`admin\0${TEST_USERNAME}\0${TEST_PASSWORD}`),
      'TEST_PASSWORD',
    ],
    ['a LOGIN answer', b64(TEST_PASSWORD), 'TEST_PASSWORD'],
    [
      'an XOAUTH2 blob',
      b64(`user=${TEST_USERNAME}\x01auth=Bearer ${TEST_TOKEN}\x01\x01`),
      'TEST_TOKEN',
    ],
  ])('inside %s', (_name, blob, secret) => {
    const text = `C: AUTH PLAIN ${blob}\nS: 535 5.7.8 nope`;
    expect(leaksIn(text).some((leak) => leak.startsWith(`${secret} (base64`))).toBe(true);
  });

  it('names the source, file and test of each leak, and never quotes the secret', () => {
    const captures = [
      captured('clean', 'summary'),
      captured(`x ${b64(TEST_PASSWORD)}`, 'GITHUB_OUTPUT file of a run'),
    ];
    const result = checkCaptures(captures, secrets, root);
    expect(result.leaks).toHaveLength(1);
    const report = describeLeaks(result.leaks);
    expect(report).toContain(
      'TEST_PASSWORD (base64 at offset 0) at character 2 of GITHUB_OUTPUT file of a run in ' +
        'test/e2e/some.test.ts > suite > a test',
    );
    expect(result.line).toMatch(/checked 2 captures from 2 sources in 1 test files .*1 LEAKS/);
    expect(findLeaks([captured(report), captured(result.line)], secrets, root)).toEqual([]);
  });
});

describe('the hygiene check passes what a user may see', () => {
  it('a transcript with the AUTH line redacted, the username and the mask count', () => {
    const text = [
      `C: AUTH PLAIN [redacted]`,
      'S: 235 2.7.0 Authentication successful',
      `C: MAIL FROM:<${TEST_USERNAME}>`,
      `Masked 4 values of the password input`,
      `Hygiene-Passw0rd is not the password, nor is 7f3a9c`,
    ].join('\n');
    const result = checkCaptures([captured(text)], secrets, root);
    expect(result.leaks).toEqual([]);
    expect(result.line).toMatch(/: no secret found$/);
  });

  it('refuses to look for a secret so short that its base64 forms are in any text', () => {
    expect(() => findLeaks([captured('x')], [{ name: 'short', value: 'abc' }], root)).toThrow(
      /short is too short/,
    );
  });
});

describe('withoutMaskCommands', () => {
  it('leaves out exactly the ::add-mask:: lines', () => {
    const stdout = [
      `::add-mask::${TEST_PASSWORD}`,
      `::add-mask::${b64(TEST_PASSWORD)}`,
      'Sending to dev@example.com',
      `  ::add-mask::indented is shown`,
      `text ::add-mask:: inside a line`,
      '::group::SMTP transcript',
    ].join('\n');
    expect(withoutMaskCommands(stdout)).toBe(
      [
        'Sending to dev@example.com',
        `  ::add-mask::indented is shown`,
        `text ::add-mask:: inside a line`,
        '::group::SMTP transcript',
      ].join('\n'),
    );
  });
});

describe('the captures and the secrets of a project', () => {
  const made: string[] = [];
  afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('reads the captures of every worker file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hygiene-check-'));
    made.push(dir);
    const line = (text: string): string => `${JSON.stringify(captured(text))}\n`;
    await writeFile(join(dir, '11-0.jsonl'), line('one') + line('two'));
    await writeFile(join(dir, '12-0.jsonl'), line('three'));
    await writeFile(join(dir, 'notes.txt'), 'not a capture');
    const texts = (await readCaptures(dir)).map((capture) => capture.text);
    expect(texts).toEqual(['one', 'two', 'three']);
  });

  it('looks for the MTA password in the mta project only', async () => {
    const projectRoot = await mkdtemp(join(tmpdir(), 'hygiene-root-'));
    made.push(projectRoot);
    await mkdir(join(projectRoot, '.mta'));
    await writeFile(join(projectRoot, '.mta/settings.json'), '{"password":"mta-S3cret-pw"}');
    const names = (project: string): string[] =>
      projectSecrets(project, projectRoot).map((secret) => secret.name);
    expect(names('unit')).toEqual(['TEST_PASSWORD', 'TEST_TOKEN']);
    expect(names('mta')).toEqual(['TEST_PASSWORD', 'TEST_TOKEN', 'the MTA password']);
    expect(projectSecrets('mta', projectRoot)[2]?.value).toBe('mta-S3cret-pw');
  });

  it('captureForHygiene writes where the check reads, with the file and test', async () => {
    const marker = `clean marker ${process.pid}-${Date.now()}`;
    captureForHygiene('the pipe test', marker);
    const mine = (await readCaptures(inject('hygieneDir'))).find((c) => c.text === marker);
    expect(mine).toMatchObject({ source: 'the pipe test' });
    expect(mine?.file).toMatch(/test\/hygiene\/leak-check\.test\.ts$/);
    expect(mine?.test).toContain('captureForHygiene writes where the check reads');
  });
});

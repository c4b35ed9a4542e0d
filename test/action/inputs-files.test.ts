// Inputs that name files: body-file, html-body-file and tls-ca, read from a temporary workspace
// as GITHUB_WORKSPACE points the action at the checked-out repository.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCa } from '../helpers/tls-fixtures.js';
import { baseInputs, inputErrorOf, settingsOf, type Inputs } from './inputs-env.js';

let workspace: string;
const inWorkspace = (inputs: Inputs) =>
  [{ ...baseInputs, ...inputs }, { GITHUB_WORKSPACE: workspace }] as const;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'smtp-notify-inputs-'));
  await mkdir(join(workspace, 'mail'));
  await writeFile(join(workspace, 'mail/body.md'), '# {{ github.repository }}\n\nBuilt.\n');
  await writeFile(join(workspace, 'mail/body.html'), '\uFEFF<p>{{ status }}</p>\n');
  await writeFile(join(workspace, 'mail/latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  await writeFile(join(workspace, 'mail/huge.md'), Buffer.alloc(1024 * 1024 + 1, 0x61));
  await writeFile(join(workspace, 'mail/limit.md'), Buffer.alloc(1024 * 1024, 0x61));
  await writeFile(join(workspace, 'ca.pem'), testCa);
  await writeFile(
    join(workspace, 'key.pem'),
    '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
  );
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('body-file and html-body-file', () => {
  it('reads the templates relative to GITHUB_WORKSPACE, named after the input and path', async () => {
    const settings = await settingsOf(
      ...inWorkspace({ 'body-file': 'mail/body.md', 'html-body-file': 'mail/body.html' }),
    );
    expect(settings.message.body).toEqual({
      name: 'body-file mail/body.md',
      text: '# {{ github.repository }}\n\nBuilt.\n',
    });
    // The byte order mark an editor may add is not part of the template.
    expect(settings.message.htmlBody).toEqual({
      name: 'html-body-file mail/body.html',
      text: '<p>{{ status }}</p>\n',
    });
  });

  it('accepts a body-file with markdown', async () => {
    const settings = await settingsOf(
      ...inWorkspace({ 'body-file': 'mail/body.md', markdown: 'true' }),
    );
    expect(settings.message).toMatchObject({
      markdown: true,
      body: { name: 'body-file mail/body.md' },
    });
  });

  it('accepts an absolute path', async () => {
    const settings = await settingsOf(
      ...inWorkspace({ 'body-file': join(workspace, 'mail/body.md') }),
    );
    expect(settings.message.body?.text).toContain('Built.');
  });

  it('reads a file of exactly 1 MiB', async () => {
    const settings = await settingsOf(...inWorkspace({ 'body-file': 'mail/limit.md' }));
    expect(settings.message.body?.text.length).toBe(1024 * 1024);
  });

  it.each([
    ['body-file', 'mail/missing.md', 'does not exist'],
    ['html-body-file', 'mail/missing.html', 'does not exist'],
    ['body-file', 'mail', 'not a regular file'],
    ['body-file', 'mail/huge.md', 'larger than 1048576 bytes'],
    ['html-body-file', 'mail/latin1.txt', 'not UTF-8'],
  ])('%s %s: names the input and the resolved path', async (input, path, says) => {
    const error = await inputErrorOf(...inWorkspace({ [input]: path }));
    expect(error.input).toBe(input);
    expect(error.message).toContain(JSON.stringify(join(workspace, path)));
    expect(error.message).toContain(says);
  });
});

describe('tls-ca', () => {
  it('reads a PEM file relative to the workspace', async () => {
    const settings = await settingsOf(...inWorkspace({ 'tls-ca': 'ca.pem' }));
    expect(settings.server?.tlsOptions?.ca).toBe(testCa);
  });

  it('reads relative to the current directory when GITHUB_WORKSPACE is not set', async () => {
    const settings = await settingsOf({ ...baseInputs, 'tls-ca': 'test/fixtures/tls/ca.pem' });
    expect(settings.server?.tlsOptions?.ca).toBe(testCa);
  });

  it('refuses a file that holds no certificate', async () => {
    const error = await inputErrorOf(...inWorkspace({ 'tls-ca': 'key.pem' }));
    expect(error.input).toBe('tls-ca');
    expect(error.message).toContain('"key.pem" holds no PEM certificate');
  });

  it('refuses a missing file, naming the resolved path', async () => {
    const error = await inputErrorOf(...inWorkspace({ 'tls-ca': 'certs/ca.pem' }));
    expect(error.input).toBe('tls-ca');
    expect(error.message).toContain(join(workspace, 'certs/ca.pem'));
  });
});

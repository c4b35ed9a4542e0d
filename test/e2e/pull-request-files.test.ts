// What a pull request's files can make the built action do, in a `pull_request` workflow where
// the checked-out files are the pull request's: a template that is a link to the process's
// environment, a named pipe, and file names chosen to break headers and the log.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-run.js';
import { mailPassword, parseReceived, serverInputs } from '../helpers/action-server.js';
import { testTls } from '../helpers/tls-fixtures.js';
import { expectFailedBeforeConnecting } from './early-failure.js';
import { expectNoInjectedCommands, visibleLog } from './log-lines.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

/** A secret the workflow put in the job's environment (`env: DEPLOY_KEY: ${{ secrets.X }}`). */
const jobSecret = 'job-env-secret-4b1d9e';

describe('templates and files a pull request names', () => {
  it('refuses a body-file that links to /proc/self/environ, which a dry run would print', async () => {
    const run = await runAction({
      event: 'pull_request',
      env: { DEPLOY_KEY: jobSecret },
      prepare: async (workspace) => {
        await mkdir(join(workspace, '.github'));
        await symlink('/proc/self/environ', join(workspace, '.github/mail.md'));
      },
      inputs: {
        mode: 'dry-run',
        from: 'ci@example.com',
        to: 'dev@example.com',
        username: 'ci-bot',
        password: mailPassword,
        'body-file': '.github/mail.md',
      },
    });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Input "body-file": cannot use ".*\/\.github\/mail\.md": it leads through a symbolic link to "\/proc\/\d+\/environ", outside the workspace/,
    );
    for (const text of [visibleLog(run.stdout), run.stderr, run.summary, run.outputsFile]) {
      expect(text).not.toContain(jobSecret);
      expect(text).not.toContain(mailPassword);
    }
  });

  it('fails at once on an html-body-file that is a named pipe, instead of hanging the job', async () => {
    const run = await runAction({
      prepare: (workspace) => {
        execFileSync('mkfifo', [join(workspace, 'mail.html')]);
        return Promise.resolve();
      },
      inputs: {
        mode: 'dry-run',
        from: 'ci@example.com',
        to: 'dev@example.com',
        'html-body-file': 'mail.html',
      },
      // Well under the test's own timeout: a hang shows as a failed run, not a stuck test.
      timeoutMs: 10_000,
    });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/::error::Input "html-body-file": .*not a regular file/);
  });

  it('cleans file names in the attachment headers and keeps them out of workflow commands', async () => {
    const server = await startServer();
    const names = [
      'report\n::set-output name=result::sent.txt',
      'invoice\u202Efdp.exe',
      '=?utf-8?B?ZXZpbC5leGU=?=.txt',
      'a"b;\r c.txt',
    ];
    const files = Object.fromEntries(names.map((name) => [`out/${name}`, 'x']));
    const run = await runAction({
      files,
      inputs: { ...serverInputs(server), subject: 'files', body: 'b', attachments: 'out' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const raw = server.received[0]?.data.toString('latin1') ?? '';
    expect(raw).not.toMatch(/^::set-output/m);
    expect(raw).not.toContain('\u202E');
    const mail = await parseReceived(server);
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual(
      [
        '=?utf-8?B?ZXZpbC5leGU=?=.txt',
        'a"b;_ c.txt',
        'invoice_fdp.exe',
        'report_::set-output name=result::sent.txt',
      ].sort(),
    );
    expectNoInjectedCommands(run.stdout);
    expect(run.outputs.result).toBe('sent');
  });

  it('quotes hostile file names in the size-cap error, one line each', async () => {
    const server = await startServer();
    const run = await runAction({
      files: { 'out/a\n::warning::spoofed.bin': new Uint8Array(2000) },
      inputs: { ...serverInputs(server), attachments: 'out', 'attachments-max-size': '1KB' },
    });
    expectFailedBeforeConnecting(
      run,
      server,
      /Largest: "out\/a\\n::warning::spoofed\.bin" \(2\.0 kB\)/,
    );
    expectNoInjectedCommands(run.stdout);
  });

  it('refuses a tls-ca path that links out of the workspace, before connecting', async () => {
    const server = await startServer();
    const run = await runAction({
      prepare: async (workspace) => {
        // The runner's own copy of the CA, beside the workspace: right content, wrong place.
        await writeFile(join(workspace, '../ca.pem'), testTls.ca);
        await mkdir(join(workspace, 'certs'));
        await symlink('../../ca.pem', join(workspace, 'certs/ca.pem'));
      },
      inputs: { ...serverInputs(server), 'tls-ca': 'certs/ca.pem' },
    });
    expectFailedBeforeConnecting(
      run,
      server,
      /::error::Input "tls-ca": cannot use ".*\/certs\/ca\.pem": it leads through a symbolic link to ".*\/ca\.pem", outside the workspace/,
    );
  });

  it('prints a body-file full of workflow commands as text in a dry run', async () => {
    const template = [
      '::add-mask::dev@example.com',
      '::stop-commands::guess',
      '  ::set-output name=result::sent',
      'x ##[set-output name=result;]sent',
      '::error file=a.ts::spoofed',
    ].join('\n');
    const run = await runAction({
      files: { 'mail/body.txt': template },
      inputs: {
        mode: 'dry-run',
        from: 'ci@example.com',
        to: 'dev@example.com',
        subject: '::warning::in the subject',
        'body-file': 'mail/body.txt',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('eml| ::stop-commands::guess');
    expectNoInjectedCommands(run.stdout);
    expect(run.outputs.result).toBe('dry-run');
    expect(run.shown.stdout).toContain('dev@example.com');
  });
});

// Attachments in the built action: glob patterns in the workspace, the size cap checked before
// any connection, if-no-files-found, and the symbolic links a pull request can add.
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-run.js';
import { mailPassword, parseReceived, serverInputs } from '../helpers/action-server.js';
import { expectFailedBeforeConnecting } from './early-failure.js';
import { visibleLog } from './log-lines.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 0, 13, 10]);

describe('attachments', () => {
  it('attaches the files the patterns match, sorted, each once, hidden files left out', async () => {
    const server = await startServer();
    const run = await runAction({
      files: {
        'reports/b/summary.txt': 'second\n',
        'reports/a/coverage.png': png,
        'reports/a/skip.tmp': 'no',
        'reports/.env': 'TOKEN=hidden',
        'notes.md': '# notes\n',
      },
      inputs: {
        ...serverInputs(server),
        subject: 'files',
        body: 'see attached',
        // A directory, a glob that matches a file the directory already gave, and an exclusion.
        attachments: 'reports\n./reports/**/*.png\n!**/*.tmp\n\n# a comment\nnotes.md',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const mail = await parseReceived(server);
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      'notes.md',
      'coverage.png',
      'summary.txt',
    ]);
    expect(Uint8Array.from(mail.attachments[1]?.content ?? [])).toEqual(png);
    expect(mail.attachments[1]?.contentType).toBe('image/png');
    expect(mail.attachments[2]?.content.toString()).toBe('second\n');
    expect(mail.text).toBe('see attached');
  });

  it('fails before connecting when the files pass attachments-max-size', async () => {
    const server = await startServer();
    const run = await runAction({
      files: { 'big/a.bin': new Uint8Array(600), 'big/b.bin': new Uint8Array(600) },
      inputs: {
        ...serverInputs(server),
        attachments: 'big/*.bin',
        'attachments-max-size': '1KB',
      },
    });
    expectFailedBeforeConnecting(
      run,
      server,
      /::error::Input "attachments": the 2 matched file\(s\) total 1\.2 kB, over the 1\.0 kB limit/,
    );
    expect(run.stdout).toContain('attachments-max-size');
  });

  it('checks the size from the file system before reading: a 3 GiB file fails on the cap', async () => {
    const server = await startServer();
    const run = await runAction({
      // Sparse: 3 GiB by its size, no disk space. Reading it would fail on its own
      // (ERR_FS_FILE_TOO_LARGE) or exhaust memory; the cap must stop it first.
      prepare: async (workspace) => {
        await mkdir(join(workspace, 'dist'));
        await truncate(join(workspace, 'dist/huge.iso'), 3 * 1024 ** 3).catch(async () => {
          await writeFile(join(workspace, 'dist/huge.iso'), '');
          await truncate(join(workspace, 'dist/huge.iso'), 3 * 1024 ** 3);
        });
      },
      inputs: { ...serverInputs(server), attachments: 'dist' },
    });
    expectFailedBeforeConnecting(
      run,
      server,
      /total 3\.2 GB, over the 25\.0 MB limit of attachments-max-size/,
    );
    expect(run.stdout).toContain('attachments-max-size');
  });

  it('fails with if-no-files-found: error, and only warns by default', async () => {
    const server = await startServer();
    const failing = await runAction({
      inputs: {
        ...serverInputs(server),
        attachments: 'missing/*.log',
        'if-no-files-found': 'error',
      },
    });
    expectFailedBeforeConnecting(
      failing,
      server,
      /::error::Input "attachments": no files were found for missing\/\*\.log/,
    );

    const warning = await runAction({
      inputs: { ...serverInputs(server), subject: 'no files', attachments: 'missing/*.log' },
    });
    expect(warning.exitCode, warning.stdout).toBe(0);
    expect(warning.stdout).toMatch(/::warning::Input "attachments": no files were found/);
    expect(server.received).toHaveLength(1);
    expect((await parseReceived(server)).attachments).toEqual([]);
  });

  it('refuses a pattern that climbs out of the workspace with ..', async () => {
    const server = await startServer();
    const run = await runAction({
      inputs: { ...serverInputs(server), attachments: '../secrets/*' },
    });
    expectFailedBeforeConnecting(
      run,
      server,
      /::error::Input "attachments": .*'\.\.' is not allowed/,
    );
  });
});

describe('attachments and the links a pull request can add', () => {
  it('refuses a link to /proc/self/environ, where INPUT_PASSWORD is, before connecting', async () => {
    const server = await startServer();
    const run = await runAction({
      files: { 'reports/summary.txt': 'fine\n' },
      prepare: (workspace) => symlink('/proc/self/environ', join(workspace, 'reports/log.txt')),
      inputs: { ...serverInputs(server), attachments: 'reports/*' },
    });
    expectFailedBeforeConnecting(
      run,
      server,
      /::error::Input "attachments": refused "reports\/log\.txt": it leads through a symbolic link to "\/proc\/\d+\/environ", outside the workspace/,
    );
    // Not a byte of the environment: neither the password nor any other variable.
    for (const text of [visibleLog(run.stdout), run.stderr, run.summary, run.outputsFile]) {
      expect(text).not.toContain(mailPassword);
      expect(text).not.toMatch(/GITHUB_WORKSPACE=|RUNNER_TEMP=/);
    }
  });

  it('refuses a link to .git/config, where actions/checkout keeps the token', async () => {
    const server = await startServer();
    const token = 'ghs_checkoutTokenE2E';
    const run = await runAction({
      files: { '.git/config': `[http]\n\textraheader = AUTHORIZATION: basic ${token}\n` },
      prepare: async (workspace) => {
        await mkdir(join(workspace, 'reports'));
        await symlink('../.git/config', join(workspace, 'reports/config.txt'));
      },
      inputs: { ...serverInputs(server), attachments: 'reports' },
    });
    expectFailedBeforeConnecting(run, server, /refused "reports\/config\.txt": .* hidden file/);
    expect(run.stdout + run.stderr + run.summary).not.toContain(token);
  });
});

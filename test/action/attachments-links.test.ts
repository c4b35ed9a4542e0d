/**
 * A pull request controls the checked-out files, symbolic links included: a link in a folder the
 * workflow attaches must not mail what lies behind it outside the workspace (the process's
 * environment with INPUT_PASSWORD, ~/.ssh, RUNNER_TEMP) or in `.git` (the checkout token).
 * Real links in a temporary workspace; nothing is mocked.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionInputError } from '../../src/action/action-input-error.js';
import { collectAttachments, type AttachmentSettings } from '../../src/action/attachments.js';

const SECRET = 'ssh-private-key-material-7f3a';

/** A workspace and, beside it, a folder of the runner's own files the pull request must not reach. */
async function layout(): Promise<{ workspace: string; outside: string }> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'smtp-notify-links-')));
  const workspace = join(base, 'workspace');
  const outside = join(base, 'home');
  await mkdir(join(workspace, 'reports'), { recursive: true });
  await mkdir(join(workspace, '.git'), { recursive: true });
  await mkdir(join(outside, '.ssh'), { recursive: true });
  await writeFile(join(outside, '.ssh/id_ed25519'), SECRET);
  await writeFile(join(outside, 'notes.txt'), SECRET);
  await writeFile(join(workspace, '.git/config'), `extraheader = AUTHORIZATION: basic ${SECRET}`);
  await writeFile(join(workspace, 'reports/ok.txt'), 'fine');
  return { workspace, outside };
}

async function link(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path);
}

function settingsFor(...patterns: string[]): AttachmentSettings {
  return { patterns, ifNoFilesFound: 'error', maxBytes: 1_000_000 };
}

/** The refusal, checked for what every refusal must say and must not say. */
async function refusal(patterns: string[], workspace: string, names: string): Promise<string> {
  const error = await collectAttachments(settingsFor(...patterns), workspace).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ActionInputError);
  const message = (error as ActionInputError).message;
  expect((error as ActionInputError).input).toBe('attachments');
  expect(message).toContain(names);
  expect(message).not.toContain(SECRET);
  expect(message).not.toMatch(/PATH=|HOME=/);
  return message;
}

describe('collectAttachments and symbolic links from the repository', () => {
  it('refuses a link to /proc/self/environ, where INPUT_PASSWORD is', async () => {
    const { workspace } = await layout();
    await link('/proc/self/environ', join(workspace, 'reports/log.txt'));
    const message = await refusal(['reports/*'], workspace, 'reports/log.txt');
    expect(message).toMatch(/outside the workspace/);
  });

  it('refuses a link to a file of the runner outside the workspace, by a relative path too', async () => {
    const { workspace } = await layout();
    await link('../../home/.ssh/id_ed25519', join(workspace, 'reports/key.txt'));
    await refusal(['reports'], workspace, 'reports/key.txt');
    const other = await layout();
    await link(join(other.outside, 'notes.txt'), join(other.workspace, 'reports/notes.txt'));
    await refusal(['reports/*.txt'], other.workspace, 'reports/notes.txt');
  });

  it('refuses a link to .git/config, inside the workspace but hidden', async () => {
    const { workspace } = await layout();
    await link('../.git/config', join(workspace, 'reports/config.txt'));
    const message = await refusal(['reports/*.txt'], workspace, 'reports/config.txt');
    expect(message).toMatch(/hidden/);
    // A linked folder into .git, whose own name is not hidden.
    const other = await layout();
    await link('../.git', join(other.workspace, 'reports/git'));
    await refusal(['reports/**'], other.workspace, 'reports/git/config');
  });

  it('refuses a linked folder that leads out of the workspace, before reading anything', async () => {
    const { workspace, outside } = await layout();
    await link(outside, join(workspace, 'reports/home'));
    await refusal(['reports/**'], workspace, 'reports/home/notes.txt');
  });

  it('refuses a folder in an absolute pattern into the workspace that is a link out of it', async () => {
    const { workspace, outside } = await layout();
    await link(outside, join(workspace, 'logs'));
    await refusal([join(workspace, 'logs/*.txt')], workspace, 'notes.txt');
  });

  it('attaches links that stay inside the workspace, to files and folders', async () => {
    const { workspace } = await layout();
    await mkdir(join(workspace, 'out/run-2'), { recursive: true });
    await writeFile(join(workspace, 'out/run-2/result.txt'), 'second run');
    await link('../out/run-2/result.txt', join(workspace, 'reports/latest.txt'));
    await link('../out/run-2', join(workspace, 'reports/last-run'));
    const found = await collectAttachments(settingsFor('reports'), workspace);
    expect(found.attachments).toEqual([
      { filename: 'result.txt', content: Buffer.from('second run') },
      { filename: 'latest.txt', content: Buffer.from('second run') },
      { filename: 'ok.txt', content: Buffer.from('fine') },
    ]);
    expect(found.totalBytes).toBe(24);
  });

  it('keeps an absolute pattern to its own folder: a link out of it is refused', async () => {
    const { workspace, outside } = await layout();
    await mkdir(join(outside, 'reports'));
    await writeFile(join(outside, 'reports/a.txt'), 'a');
    await link('../notes.txt', join(outside, 'reports/b.txt'));
    await refusal([join(outside, 'reports/*.txt')], workspace, 'b.txt');
    // The folder the pattern names may itself be the user's own link, outside the workspace.
    await link(join(outside, 'reports'), join(outside, 'latest'));
    const found = await collectAttachments(settingsFor(join(outside, 'latest/a.txt')), workspace);
    expect(found.attachments).toEqual([{ filename: 'a.txt', content: Buffer.from('a') }]);
  });

  it('refuses an absolute pattern naming a link whose target lies outside its folder', async () => {
    const { workspace, outside } = await layout();
    await mkdir(join(outside, 'out'));
    await link('../.ssh/id_ed25519', join(outside, 'out/report.txt'));
    await refusal([join(outside, 'out/report.txt')], workspace, 'report.txt');
  });

  it('refuses a named pipe rather than waiting on it forever', async () => {
    const { workspace } = await layout();
    execFileSync('mkfifo', [join(workspace, 'reports/pipe.txt')]);
    const message = await refusal(['reports/*.txt'], workspace, 'reports/pipe.txt');
    expect(message).toMatch(/not a regular file/);
  });

  it('refuses a /proc file, whose size says 0 but which reads data', async () => {
    const { workspace } = await layout();
    const message = await refusal(['/proc/self/status'], workspace, 'status');
    expect(message).toMatch(/not an ordinary file/);
  });

  it('stops on a link that loops, saying what to do', async () => {
    const { workspace } = await layout();
    await link('loop.txt', join(workspace, 'reports/loop.txt'));
    const message = await refusal(['reports'], workspace, 'ELOOP');
    expect(message).toMatch(/the search for files stopped: .* remove the link/);
  });
});

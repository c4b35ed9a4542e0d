/**
 * `body-file`, `html-body-file` and `tls-ca` name files in the checked-out repository, which a
 * pull request controls: a template that is a symbolic link to /proc/self/environ would be
 * rendered and mailed (or printed by a dry run). Real links and pipes in a temporary workspace.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionInputError } from '../../src/action/action-input-error.js';
import { readWorkspaceFile } from '../../src/action/workspace-file.js';

const SECRET = 'ssh-private-key-material-7f3a';

async function layout(): Promise<{ workspace: string; outside: string }> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'smtp-notify-wsfile-')));
  const workspace = join(base, 'workspace');
  const outside = join(base, 'runner');
  await mkdir(join(workspace, 'mail'), { recursive: true });
  await mkdir(join(workspace, '.git'));
  await mkdir(join(workspace, '.github'));
  await mkdir(join(outside, 'keys'), { recursive: true });
  await writeFile(join(workspace, '.git/config'), `extraheader = AUTHORIZATION: basic ${SECRET}`);
  await writeFile(join(workspace, '.github/mail.md'), 'hidden but named');
  await writeFile(join(workspace, 'mail/body.md'), 'Built {{ github.sha }}');
  await writeFile(join(outside, 'keys/id_ed25519'), SECRET);
  await writeFile(join(outside, 'ca.pem'), 'PEM');
  return { workspace, outside };
}

async function link(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path);
}

/** The refusal: an ActionInputError naming the input and `path`, quoting nothing of the file. */
async function refusal(path: string, workspace: string, says: RegExp): Promise<void> {
  const error = await readWorkspaceFile('body-file', path, workspace).then(
    (read) => read,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ActionInputError);
  const message = (error as ActionInputError).message;
  expect(message).toMatch(/^Input "body-file": cannot use "/);
  expect(message).toMatch(says);
  expect(message).not.toContain(SECRET);
  expect(message).not.toMatch(/PATH=|HOME=/);
}

describe('readWorkspaceFile and what the repository can point it at', () => {
  it('refuses a link to /proc/self/environ, where INPUT_PASSWORD is', async () => {
    const { workspace } = await layout();
    await link('/proc/self/environ', join(workspace, 'mail/report.md'));
    await refusal('mail/report.md', workspace, /symbolic link .* outside the workspace/);
  });

  it('refuses links out of the workspace, to a file or through a folder', async () => {
    const { workspace, outside } = await layout();
    await link('../../runner/keys/id_ed25519', join(workspace, 'mail/a.md'));
    await link(join(outside, 'keys'), join(workspace, 'templates'));
    await refusal('mail/a.md', workspace, /outside the workspace/);
    await refusal('templates/id_ed25519', workspace, /outside the workspace/);
    // Named by an absolute path into the workspace: the workspace's rule still holds.
    await refusal(join(workspace, 'templates/id_ed25519'), workspace, /outside the workspace/);
  });

  it('refuses a link into .git, where actions/checkout keeps the token', async () => {
    const { workspace } = await layout();
    await link('../.git/config', join(workspace, 'mail/config.md'));
    await refusal('mail/config.md', workspace, /hidden/);
  });

  it('refuses a relative path that climbs out of the workspace', async () => {
    const { workspace } = await layout();
    await refusal('../runner/keys/id_ed25519', workspace, /lies outside the workspace/);
  });

  it('refuses a named pipe rather than waiting on it forever', async () => {
    const { workspace } = await layout();
    execFileSync('mkfifo', [join(workspace, 'mail/pipe.md')]);
    await refusal('mail/pipe.md', workspace, /not a regular file/);
  });

  it('refuses a /proc file, whose size says 0 but which reads data', async () => {
    const { workspace } = await layout();
    await refusal('/proc/self/status', workspace, /not an ordinary file/);
  });

  it('reads links that stay in the workspace, and hidden paths named directly', async () => {
    const { workspace } = await layout();
    await link('../mail/body.md', join(workspace, 'docs/latest.md'));
    const read = await readWorkspaceFile('body-file', 'docs/latest.md', workspace);
    expect(read).toEqual({
      path: join(workspace, 'docs/latest.md'),
      text: 'Built {{ github.sha }}',
    });
    const hidden = await readWorkspaceFile('body-file', '.github/mail.md', workspace);
    expect(hidden.text).toBe('hidden but named');
  });

  it('reads an absolute path outside the workspace, but no link out of its folder', async () => {
    const { workspace, outside } = await layout();
    const read = await readWorkspaceFile('tls-ca', join(outside, 'ca.pem'), workspace);
    expect(read.text).toBe('PEM');
    await link('keys/id_ed25519', join(outside, 'key.pem'));
    await link('../ca.pem', join(outside, 'keys/ca.pem'));
    const error = await readWorkspaceFile('tls-ca', join(outside, 'keys/ca.pem'), workspace).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toMatch(/^Input "tls-ca": .* outside the folder/);
    // A link that stays in the folder the path names is the runner's own arrangement.
    await link('ca.pem', join(outside, 'current.pem'));
    const current = await readWorkspaceFile('tls-ca', join(outside, 'current.pem'), workspace);
    expect(current.text).toBe('PEM');
  });
});

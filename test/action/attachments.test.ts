import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionInputError } from '../../src/action/action-input-error.js';
import { collectAttachments } from '../../src/action/attachments.js';

async function workspaceWith(files: Record<string, string>, name = 'ws'): Promise<string> {
  const workspace = join(await mkdtemp(join(tmpdir(), 'smtp-notify-att-')), name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(workspace, path, '..'), { recursive: true });
    await writeFile(join(workspace, path), content);
  }
  return workspace;
}

const settings = { ifNoFilesFound: 'error' as const, maxBytes: 1_000_000 };

describe('collectAttachments', () => {
  it('takes patterns relative to the workspace, not the working directory', async () => {
    const workspace = await workspaceWith({ 'out/a.txt': 'a', 'out/b.log': 'b' });
    const found = await collectAttachments({ ...settings, patterns: ['out/*.txt'] }, workspace);
    expect(found.paths).toEqual([join(workspace, 'out/a.txt')]);
    expect(found.attachments).toEqual([{ filename: 'a.txt', content: Buffer.from('a') }]);
    expect(found.totalBytes).toBe(1);
  });

  it('reads a workspace path holding glob characters literally', async () => {
    // `[ab]` would match a folder named `a` or `b`, and `*` anything, if not escaped.
    const workspace = await workspaceWith({ 'x.txt': 'x' }, 'w[ab]*?');
    const found = await collectAttachments({ ...settings, patterns: ['*.txt'] }, workspace);
    expect(found.paths).toEqual([join(workspace, 'x.txt')]);
  });

  it('keeps absolute patterns as given', async () => {
    const workspace = await workspaceWith({});
    const elsewhere = await workspaceWith({ 'r.pdf': '%PDF' });
    const found = await collectAttachments(
      { ...settings, patterns: [join(elsewhere, '*.pdf')] },
      workspace,
    );
    expect(found.attachments.map((a) => a.filename)).toEqual(['r.pdf']);
  });

  it('counts the cap on all files together, before reading any', async () => {
    const workspace = await workspaceWith({ 'a.bin': 'x'.repeat(60), 'b.bin': 'y'.repeat(60) });
    const patterns = ['*.bin'];
    await expect(
      collectAttachments({ ...settings, patterns, maxBytes: 120 }, workspace),
    ).resolves.toMatchObject({ totalBytes: 120 });
    const error = await collectAttachments(
      { ...settings, patterns, maxBytes: 119 },
      workspace,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ActionInputError);
    expect((error as ActionInputError).input).toBe('attachments');
    expect((error as Error).message).toMatch(/total 120 B, over the 119 B limit/);
  });

  it('ignores blank lines and comments, and attaches nothing for no patterns', async () => {
    const workspace = await workspaceWith({ 'a.txt': 'a' });
    const found = await collectAttachments({ ...settings, patterns: ['', '# note'] }, workspace);
    expect(found).toEqual({ attachments: [], paths: [], totalBytes: 0 });
  });

  it('with ignore, returns no files quietly when nothing matches', async () => {
    const workspace = await workspaceWith({});
    const found = await collectAttachments(
      { ...settings, ifNoFilesFound: 'ignore', patterns: ['*.none'] },
      workspace,
    );
    expect(found.attachments).toEqual([]);
  });
});

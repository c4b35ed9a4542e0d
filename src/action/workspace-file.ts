/**
 * Reads a file an input names (`body-file`, `html-body-file`, `tls-ca`), relative to the
 * checked-out repository: GITHUB_WORKSPACE, as `actions/checkout` leaves it.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ActionInputError } from './action-input-error.js';

/** 1 MiB: far more than any template or CA bundle, far less than would hurt the runner. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

export interface WorkspaceFile {
  /** The absolute path that was read. */
  path: string;
  text: string;
}

/**
 * Reads `path` (relative to `workspace`, or absolute) as UTF-8 text of at most `maxBytes`.
 * Every failure is an ActionInputError naming `input` and the resolved path.
 */
export async function readWorkspaceFile(
  input: string,
  path: string,
  workspace: string,
  maxBytes = MAX_INPUT_FILE_BYTES,
): Promise<WorkspaceFile> {
  const resolved = resolve(workspace, path);
  const fail = (why: string): never => {
    throw new ActionInputError(input, `cannot use ${JSON.stringify(resolved)}: ${why}`);
  };
  let bytes: Buffer;
  try {
    const handle = await open(resolved, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) fail('it is not a regular file.');
      if (stat.size > maxBytes) fail(`it is larger than ${maxBytes} bytes.`);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ActionInputError) throw error;
    return fail(describeFsError(error, workspace));
  }
  // Checked again after reading: the file may have grown between stat and read.
  if (bytes.length > maxBytes) fail(`it is larger than ${maxBytes} bytes.`);
  return { path: resolved, text: decodeUtf8(bytes, fail) };
}

function describeFsError(error: unknown, workspace: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    return (
      `the file does not exist. Paths are relative to the workspace (${workspace}); ` +
      'check out the repository (actions/checkout) before this step.'
    );
  }
  if (code === 'EISDIR') return 'it is a directory, not a file.';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied.';
  return error instanceof Error ? error.message : String(error);
}

function decodeUtf8(bytes: Buffer, fail: (why: string) => never): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // A byte order mark is an editor's artefact, not the template's first character.
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    return fail('it is not UTF-8 text.');
  }
}

/**
 * Reads a file an input names (`body-file`, `html-body-file`, `tls-ca`), relative to the
 * checked-out repository: GITHUB_WORKSPACE, as `actions/checkout` leaves it.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { ActionInputError } from './action-input-error.js';
import {
  createBoundary,
  FileRefusal,
  isWithin,
  measureRegularFile,
  readRegularFile,
  resolveWithin,
} from './file-boundary.js';

/** 1 MiB: far more than any template or CA bundle, far less than would hurt the runner. */
const MAX_INPUT_FILE_BYTES = 1024 * 1024;

export interface WorkspaceFile {
  /** The absolute path that was read. */
  path: string;
  text: string;
}

/**
 * Reads `path` (relative to `workspace`, or absolute) as UTF-8 text of at most 1 MiB.
 * Every failure is an ActionInputError naming `input` and the resolved path. The file must
 * really lie in the workspace (after every symbolic link), or, for an absolute path outside the
 * workspace, in the folder that path names; and it must be an ordinary file (file-boundary.ts).
 */
export async function readWorkspaceFile(
  input: string,
  path: string,
  workspace: string,
): Promise<WorkspaceFile> {
  const resolved = resolve(workspace, path);
  const fail = (why: string): never => {
    throw new ActionInputError(input, `cannot use ${JSON.stringify(resolved)}: ${why}`);
  };
  let bytes: Buffer;
  try {
    const real = await resolveWithin(resolved, await boundaryOf(path, resolved, workspace));
    // Measured before it is opened: opening a device or a pipe can block or have effects.
    await measureRegularFile(real);
    bytes = await readRegularFile(real, MAX_INPUT_FILE_BYTES);
  } catch (error) {
    if (error instanceof FileRefusal) return fail(error.message + adviceFor(error));
    return fail(describeFsError(error, workspace));
  }
  return { path: resolved, text: decodeUtf8(bytes, fail) };
}

/**
 * The workspace for a relative path, and for any path that lies in it: the pull request
 * controls every name there, an absolute spelling included. An absolute path elsewhere is the
 * workflow author's own: its file must lie in the folder the path names.
 */
async function boundaryOf(path: string, resolved: string, workspace: string) {
  const own = await createBoundary(workspace, `the workspace (${resolve(workspace)})`);
  if (!isAbsolute(path) || isWithin(resolved, own.path)) return own;
  const folder = dirname(resolved);
  return createBoundary(folder, `the folder ${JSON.stringify(folder)}`);
}

function adviceFor(refusal: FileRefusal): string {
  if (refusal.reason !== 'place') return '';
  return (
    ' A pull request can add symbolic links, so files are read only from inside the ' +
    'workspace, never through a link into a hidden folder; give the path of the file itself.'
  );
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

/**
 * Where a file the action reads may really lie. In a `pull_request` workflow the checked-out
 * files are the pull request's, symbolic links included (git stores them as mode 120000), so a
 * name in the workspace proves nothing about what it opens: `reports/log.txt` can lead to
 * `/proc/self/environ` (this process's environment, INPUT_PASSWORD among it), `~/.ssh`,
 * RUNNER_TEMP, or `.git/config`, where actions/checkout keeps the job's token. Whatever the
 * action reads goes out by mail or into a TLS trust store, so each file is resolved with
 * fs.realpath and used only if it really lies inside its boundary (the workspace, or the folder
 * an absolute path of the user's own names), and only if it is an ordinary file.
 */
import { constants, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A folder a file must really lie in: as written, and as fs.realpath resolves it. */
export interface FileBoundary {
  /** Absolute and normalised; the paths found through it start with it. */
  path: string;
  /** The same folder with every symbolic link resolved. */
  real: string;
  /** How a refusal names it: `the workspace (/home/runner/work/r/r)`. */
  description: string;
}

/**
 * Why a file was refused; the caller adds the input's name and the file's. The message never
 * holds a byte of the file: it may be exactly the secret the check kept out.
 */
export class FileRefusal extends Error {
  override readonly name = 'FileRefusal';
  /** `place`: outside the boundary or into a hidden name; `type`: not an ordinary file. */
  readonly reason: 'place' | 'type';

  constructor(reason: 'place' | 'type', message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Resolves `path` (a folder) once; refusals compare against the result. A folder that does not
 * exist (no checkout yet) holds nothing to find, so it stands for itself.
 */
export async function createBoundary(path: string, description: string): Promise<FileBoundary> {
  const absolute = resolve(path);
  const real = await realpath(absolute).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return absolute;
    throw error;
  });
  return { path: absolute, real, description };
}

/** True when `path` is `folder` or lies below it (both absolute and normalised). */
export function isWithin(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  // On Windows, a folder on another drive gives an absolute path back.
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}

/**
 * The real path of `path`, if it lies inside the boundary; a FileRefusal otherwise. A path that
 * reaches its file through a symbolic link must also not lead into a hidden file or folder (a
 * name starting with "."): `.git/config` is inside the workspace but holds the checkout token,
 * and the attachments glob leaves hidden names out for that reason. A hidden path named
 * directly (`.github/mail.md`) is the workflow author's own choice and stays allowed.
 */
export async function resolveWithin(path: string, boundary: FileBoundary): Promise<string> {
  const absolute = resolve(path);
  if (!isWithin(absolute, boundary.path)) {
    throw new FileRefusal('place', `it lies outside ${boundary.description}.`);
  }
  const real = await realpath(absolute);
  if (!isWithin(real, boundary.real)) {
    throw new FileRefusal(
      'place',
      `it leads through a symbolic link to ${JSON.stringify(real)}, outside ` +
        `${boundary.description}.`,
    );
  }
  const direct = join(boundary.real, relative(boundary.path, absolute));
  const hidden = relative(boundary.real, real)
    .split(sep)
    .some((name) => name.startsWith('.'));
  if (real !== direct && hidden) {
    throw new FileRefusal(
      'place',
      `it leads through a symbolic link to ${JSON.stringify(real)}, a hidden file or folder ` +
        '(such as .git, where actions/checkout keeps the job token).',
    );
  }
  return real;
}

function refuseType(info: Stats): FileRefusal {
  return new FileRefusal(
    'type',
    info.isDirectory()
      ? 'it is a folder, not a regular file.'
      : 'it is not a regular file (a named pipe, device or socket): only ordinary files are read.',
  );
}

/**
 * The size of an ordinary file, from fs.stat and without opening it: opening a named pipe
 * waits for a writer that may never come, and a device can read forever.
 */
export async function measureRegularFile(real: string): Promise<number> {
  const info = await stat(real);
  if (!info.isFile()) throw refuseType(info);
  return info.size;
}

/**
 * Reads an ordinary file of at most `maxBytes`, never more than its size says. Files under
 * /proc and /sys report a size of 0 (or 4096) and then read whatever the kernel generates, so
 * reading one byte past the size tells them apart: such a file is refused, not cut. The file is
 * opened without following a final link (it is a real path) and without blocking, and checked
 * again on the open handle, in case it was swapped since it was resolved.
 */
export async function readRegularFile(real: string, maxBytes: number): Promise<Buffer> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await open(real, flags);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refuseType(info);
    if (info.size > maxBytes) throw new FileRefusal('type', `it is larger than ${maxBytes} bytes.`);
    const buffer = Buffer.alloc(info.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > info.size) {
      throw new FileRefusal(
        'type',
        'it is not an ordinary file: it reads more data than its size says (a generated file ' +
          'such as those under /proc, or one still being written).',
      );
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

// Filesystem errors with Node's codes (ENOENT, EEXIST, ...) and messages, raised by every volume kind.

/** A filesystem error with a Node-style code (ENOENT, EEXIST, ...), so the fs module can rethrow it as Node would. */
export class VolumeError extends Error {
  constructor(
    readonly code: string,
    readonly syscall: string,
    readonly path: string,
    cause?: unknown,
  ) {
    super(`${code}: ${DESCRIPTIONS[code] ?? 'i/o error'}, ${syscall} '${path}'`, { cause });
  }
}

const DESCRIPTIONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'illegal operation on a directory',
  ENOTEMPTY: 'directory not empty',
  EACCES: 'permission denied',
  EFBIG: 'file too large',
  ELOOP: 'too many symbolic links encountered',
  EINVAL: 'invalid argument',
  EIO: 'i/o error',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

/** A path as it appears in an error message. */
export const show = (path: readonly string[]) => path.join('/') || '.';

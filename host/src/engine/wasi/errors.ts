// Node's fs errors → WASI `filesystem/types.error-code`. jco lowers a string thrown by an import as the `err` of the
// call's `result`, so the filesystem code throws these strings.

/** The WASI error codes (jco's declarations of wasi:filesystem/types, generated from wit/ at build time). */
export type ErrorCode = import('../wit/interfaces/wasi-filesystem-types.js').ErrorCode;

const BY_ERRNO: Record<string, ErrorCode> = {
  EACCES: 'access', EAGAIN: 'would-block', EWOULDBLOCK: 'would-block', EALREADY: 'already', EBADF: 'bad-descriptor',
  EBUSY: 'busy', EDEADLK: 'deadlock', EDQUOT: 'quota', EEXIST: 'exist', EFBIG: 'file-too-large',
  EILSEQ: 'illegal-byte-sequence', EINPROGRESS: 'in-progress', EINTR: 'interrupted', EINVAL: 'invalid', EIO: 'io',
  EISDIR: 'is-directory', ERR_FS_EISDIR: 'is-directory', ELOOP: 'loop', EMLINK: 'too-many-links',
  EMSGSIZE: 'message-size', ENAMETOOLONG: 'name-too-long', ENODEV: 'no-device', ENOENT: 'no-entry',
  ENOLCK: 'no-lock', ENOMEM: 'insufficient-memory', ENOSPC: 'insufficient-space', ENOTDIR: 'not-directory',
  ENOTEMPTY: 'not-empty', ENOTRECOVERABLE: 'not-recoverable', ENOTSUP: 'unsupported', EOPNOTSUPP: 'unsupported',
  ENOTTY: 'no-tty', ENXIO: 'no-such-device', EOVERFLOW: 'overflow', EPERM: 'not-permitted', EPIPE: 'pipe',
  EROFS: 'read-only', ESPIPE: 'invalid-seek', ETXTBSY: 'text-file-busy', EXDEV: 'cross-device',
  // Node refuses a path with a NUL byte before any system call.
  ERR_INVALID_ARG_VALUE: 'invalid',
};

/** The WASI error code of a Node fs error. Anything that is not an fs error (a bug here) is rethrown: a trap. */
export function errorCode(error: unknown): ErrorCode {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const mapped = BY_ERRNO[code];
    if (mapped) return mapped;
    // An errno Node knows but WASI has no name for.
    if (/^E[A-Z0-9]+$/.test(code)) return 'io';
  }
  throw error;
}

/** Runs an fs call, turning its failure into the thrown WASI error code. */
export function fsCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw errorCode(error);
  }
}

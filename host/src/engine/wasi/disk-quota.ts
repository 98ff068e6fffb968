// The file-size limit and the disk quota of one sandbox, checked by the host's WASI filesystem before every call that
// makes a file larger (a write, a stream write, set-size) or adds an entry (a file, directory, symlink or link), and
// credited back when files shrink or go. The guests check file sizes too, but a program can write around their checks
// (`io.FileIO`, raw fds); it cannot write around these.
//
// What counts: the bytes of every regular file, plus ENTRY_BYTES for every entry (so directories, symlinks and empty
// files, which hold no bytes, cannot pile up without limit). A file removed while still open keeps its bytes until
// its last descriptor closes, as on disk.
import { closeSync, constants, existsSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BY_HANDLE } from './paths.js';
import { fdPath } from './paths-by-handle.js';

/** What an entry costs besides its bytes: a filesystem block. */
export const ENTRY_BYTES = 4096;

/** The identity and size of a file about to be removed or replaced (an lstat). */
export interface RemovedEntry {
  isFile(): boolean;
  ino: bigint;
  nlink: bigint;
  size: bigint;
}

export class DiskQuota {
  /** The largest a file may become, in bytes. */
  fileSizeBytes = Number.POSITIVE_INFINITY;
  /** The most bytes the sandbox's files may take together. */
  diskBytes = Number.POSITIVE_INFINITY;
  /** Bytes counted against `diskBytes` now. */
  used = 0;

  /**
   * Charges a file's growth from `size` to `end` bytes. Throws the WASI error code (the call fails, nothing is
   * written) when the file would pass the size limit or the sandbox its quota.
   */
  grow(size: number, end: number): void {
    if (end <= size) return;
    if (end > this.fileSizeBytes) throw 'file-too-large';
    this.charge(end - size);
  }

  /** Charges `bytes` (a new entry); throws `insufficient-space` past the quota. */
  charge(bytes: number): void {
    if (this.used + bytes > this.diskBytes) throw 'insufficient-space';
    this.used += bytes;
  }

  /**
   * How many bytes a write at `position` of a file of `size` bytes may have; throws the WASI code when none (the file
   * is at its size limit, or the sandbox at its quota).
   */
  room(size: number, position: number): number {
    const room = Math.min(this.fileSizeBytes - position, size + this.diskBytes - this.used - position);
    if (room > 0) return room;
    throw position >= this.fileSizeBytes ? 'file-too-large' : 'insufficient-space';
  }

  /** Credits bytes a file gave up (truncated, or removed and closed). */
  shrink(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  /**
   * Sets the usage to what `dirs` hold now. A tree that cannot be counted (deeper than MAX_COUNTED_DEPTH, or a listing
   * that fails) counts as the whole quota: a program must not get past it by making its files hard to count.
   */
  recount(dirs: readonly string[]): void {
    const seen = new Set<string>();
    try {
      this.used = dirs.reduce((sum, dir) => sum + bytesBelow(dir, seen), 0);
    } catch {
      this.used = Number.POSITIVE_INFINITY;
    }
  }
}

/** Deeper trees are not counted (the walk holds one fd a level) and fill the quota instead (see recount). */
const MAX_COUNTED_DEPTH = 256;

/**
 * Every entry's ENTRY_BYTES, and each file's bytes once (`seen`: its hard links share them). On Linux the walk goes
 * through directory fds (`/proc/self/fd/<fd>/<name>`, as the resolver does: paths-by-handle.ts), so a tree whose host
 * paths are longer than the OS allows is counted too; elsewhere by path. Throws when a listing fails.
 */
function bytesBelow(dir: string, seen: Set<string>): number {
  return directoryBytes(dir, seen, 0, false);
}

/**
 * A directory's bytes (0 if it is gone): through an fd of its own on Linux (the paths below it stay one name long),
 * else by path. The directories inside it are opened without following a symlink (`noFollow`).
 */
function directoryBytes(path: string, seen: Set<string>, depth: number, noFollow: boolean): number {
  if (!BY_HANDLE) return existsSync(path) ? bytesIn(path, seen, depth) : 0;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | (noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0; // not made yet, or gone since the listing
    throw error;
  }
  try {
    return bytesIn(fdPath(fd, '.'), seen, depth);
  } finally {
    closeSync(fd);
  }
}

function bytesIn(dir: string, seen: Set<string>, depth: number): number {
  if (depth > MAX_COUNTED_DEPTH) throw new Error('too deep to count');
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += ENTRY_BYTES;
    if (entry.isDirectory()) total += directoryBytes(path, seen, depth + 1, true);
    else if (entry.isFile()) {
      const stats = lstatSync(path, { throwIfNoEntry: false });
      if (!stats) continue; // gone since the listing
      const id = `${stats.dev}:${stats.ino}`;
      if (!seen.has(id)) total += stats.size;
      seen.add(id);
    }
  }
  return total;
}

// The file-size limit and the disk quota of one sandbox, checked by the host's WASI filesystem before every call that
// makes a file larger (a write, a stream write, set-size) or adds an entry (a file, directory, symlink or link), and
// credited back when files shrink or go. The guests check file sizes too, but a program can write around their checks
// (`io.FileIO`, raw fds); it cannot write around these.
//
// What counts: the bytes of every regular file, plus ENTRY_BYTES for every entry (so directories, symlinks and empty
// files, which hold no bytes, cannot pile up without limit). A file removed while still open keeps its bytes until
// its last descriptor closes, as on disk.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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

  /** Sets the usage to what `dirs` hold now. */
  recount(dirs: readonly string[]): void {
    const seen = new Set<string>();
    this.used = dirs.reduce((sum, dir) => sum + bytesBelow(dir, seen), 0);
  }
}

/** Every entry's ENTRY_BYTES, and each file's bytes once (`seen`: its hard links share them). */
function bytesBelow(dir: string, seen: Set<string>): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    total += ENTRY_BYTES;
    if (entry.isDirectory()) total += bytesBelow(path, seen);
    else if (entry.isFile()) {
      try {
        const stats = lstatSync(path);
        const id = `${stats.dev}:${stats.ino}`;
        if (!seen.has(id)) total += stats.size;
        seen.add(id);
      } catch {
        // Gone since the listing.
      }
    }
  }
  return total;
}

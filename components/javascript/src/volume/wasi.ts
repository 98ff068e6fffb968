// A volume on a directory the host granted through wasi:filesystem, and the mapping of WASI error codes to Node's.
import type { Descriptor, DescriptorType } from 'wasi:filesystem/types@0.2.12';
import { VolumeError, show } from './errors.js';
import type { EntryKind, EntryStat, Volume } from './volume.js';

const WASI_ERRNO: Record<string, string> = {
  'no-entry': 'ENOENT',
  exist: 'EEXIST',
  'not-directory': 'ENOTDIR',
  'is-directory': 'EISDIR',
  'not-empty': 'ENOTEMPTY',
  access: 'EACCES',
  'not-permitted': 'EACCES',
  'read-only': 'EROFS',
  'file-too-large': 'EFBIG',
  // The host's disk quota (the Node library's WASI refuses a write past it).
  'insufficient-space': 'ENOSPC',
  quota: 'EDQUOT',
  loop: 'ELOOP',
  invalid: 'EINVAL',
};

function wasiCode(error: unknown): string {
  const payload = (error as { payload?: unknown })?.payload;
  return typeof payload === 'string' ? (WASI_ERRNO[payload] ?? 'EIO') : 'EIO';
}

const NO_FOLLOW = {};

/** Drops a resource handle now rather than at garbage collection, so the host's handle table stays small. */
function release(resource: object): void {
  (resource as { [Symbol.dispose]?: () => void })[Symbol.dispose]?.();
}
const READ_CHUNK = 1n << 20n;

/**
 * Opens a subdirectory for reading and writing entries. Wasmtime (and the library's own WASI) need `mutate-directory`
 * to create files inside it; the stock Node shim (preview2-shim 0.26) rejects that flag as "unsupported" but allows
 * the writes without it (no upstream issue; the shim does not implement the flag).
 */
export function openDirectory(parent: Descriptor, name: string): Descriptor {
  try {
    return parent.openAt(NO_FOLLOW, name, { directory: true }, { read: true, mutateDirectory: true });
  } catch (error) {
    if ((error as { payload?: unknown })?.payload !== 'unsupported') throw error;
    return parent.openAt(NO_FOLLOW, name, { directory: true }, { read: true });
  }
}

/** A volume rooted at a directory descriptor of the host-granted filesystem. */
export class WasiVolume implements Volume {
  readonly persistent = true;
  constructor(private readonly root: Descriptor) {}

  /**
   * Runs `fn` with the directory holding `path`'s last segment, opening each intermediate directory without
   * following symlinks (the Node shim would follow them out of the root: no upstream issue; it applies no-follow to
   * a path's last segment only), and releases what it opened.
   */
  private inParent<T>(path: readonly string[], syscall: string, fn: (dir: Descriptor, name: string) => T): T {
    const opened: Descriptor[] = [];
    try {
      let dir = this.root;
      for (let i = 0; i < path.length - 1; i++) {
        const parent = dir;
        dir = this.call(() => openDirectory(parent, path[i]), syscall, path);
        opened.push(dir);
      }
      return fn(dir, path[path.length - 1] ?? '.');
    } finally {
      for (const fd of opened) release(fd);
    }
  }

  private call<T>(fn: () => T, syscall: string, path: readonly string[]): T {
    try {
      return fn();
    } catch (error) {
      throw new VolumeError(wasiCode(error), syscall, show(path), error);
    }
  }

  private kindOf(type: DescriptorType, path: readonly string[], syscall: string): EntryKind {
    if (type === 'directory') return 'directory';
    if (type === 'regular-file') return 'file';
    // Symlinks (and devices) may exist in host-prepared directories; the sandbox treats them as unreadable.
    throw new VolumeError(type === 'symbolic-link' ? 'ELOOP' : 'EACCES', syscall, show(path));
  }

  stat(path: readonly string[]): EntryStat | undefined {
    if (path.length === 0) return { kind: 'directory', size: 0, mtimeMs: 0 };
    let stat;
    try {
      stat = this.inParent(path, 'stat', (dir, name) => dir.statAt(NO_FOLLOW, name));
    } catch (error) {
      const code = error instanceof VolumeError ? error.code : wasiCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error instanceof VolumeError ? error : new VolumeError(code, 'stat', show(path));
    }
    const ts = stat.dataModificationTimestamp;
    return {
      kind: this.kindOf(stat.type, path, 'stat'),
      size: Number(stat.size),
      mtimeMs: ts ? Number(ts.seconds) * 1000 + Math.floor(ts.nanoseconds / 1e6) : 0,
    };
  }

  private withFile<T>(path: readonly string[], write: boolean, append: boolean, fn: (fd: Descriptor) => T): T {
    const fd = this.inParent(path, 'open', (dir, name) =>
      this.call(() => dir.openAt(NO_FOLLOW, name, { create: write, truncate: write && !append }, { read: !write, write }), 'open', path),
    );
    try {
      const type = fd.getType();
      if (type !== 'regular-file') throw new VolumeError(type === 'directory' ? 'EISDIR' : 'EACCES', 'open', show(path));
      return fn(fd);
    } finally {
      release(fd);
    }
  }

  readFile(path: readonly string[]): Uint8Array {
    return this.withFile(path, false, false, (fd) => this.readAll(fd, path));
  }

  private readAll(fd: Descriptor, path: readonly string[]): Uint8Array {
    const chunks: Uint8Array[] = [];
    let offset = 0n;
    let total = 0;
    for (;;) {
      const [chunk, eof] = this.call(() => fd.read(READ_CHUNK, offset), 'read', path);
      if (chunk.length) chunks.push(chunk);
      offset += BigInt(chunk.length);
      total += chunk.length;
      if (eof || chunk.length === 0) break;
    }
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) (out.set(chunk, at), (at += chunk.length));
    return out;
  }

  writeFile(path: readonly string[], data: Uint8Array, append = false): void {
    this.withFile(path, true, append, (fd) => {
      let offset = append ? fd.stat().size : 0n;
      let at = 0;
      while (at < data.length) {
        const written = Number(this.call(() => fd.write(data.subarray(at), offset), 'write', path));
        at += written;
        offset += BigInt(written);
      }
    });
  }

  readdir(path: readonly string[]): { name: string; kind: EntryKind }[] {
    const dir =
      path.length === 0
        ? this.root
        : this.inParent(path, 'scandir', (parent, name) =>
            this.call(() => openDirectory(parent, name), 'scandir', path),
          );
    const out: { name: string; kind: EntryKind }[] = [];
    try {
      const stream = this.call(() => dir.readDirectory(), 'scandir', path);
      for (let entry = stream.readDirectoryEntry(); entry; entry = stream.readDirectoryEntry()) {
        if (entry.type === 'directory' || entry.type === 'regular-file') {
          out.push({ name: entry.name, kind: entry.type === 'directory' ? 'directory' : 'file' });
        }
      }
      release(stream);
    } finally {
      if (dir !== this.root) release(dir);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  mkdir(path: readonly string[]): void {
    this.inParent(path, 'mkdir', (dir, name) => this.call(() => dir.createDirectoryAt(name), 'mkdir', path));
  }

  unlink(path: readonly string[]): void {
    this.inParent(path, 'unlink', (dir, name) => this.call(() => dir.unlinkFileAt(name), 'unlink', path));
  }

  rmdir(path: readonly string[]): void {
    this.inParent(path, 'rmdir', (dir, name) => this.call(() => dir.removeDirectoryAt(name), 'rmdir', path));
  }

  rename(from: readonly string[], to: readonly string[]): void {
    this.inParent(from, 'rename', (fromDir, fromName) =>
      this.inParent(to, 'rename', (toDir, toName) => this.call(() => fromDir.renameAt(fromName, toDir, toName), 'rename', from)),
    );
  }
}

// Where a sandbox's files live: a directory the host preopened (WasiVolume) or, when the host granted none, memory
// (MemoryVolume). Callers pass paths as segments already confined below the volume's root (see input.ts), and
// WasiVolume never follows a symlink, so nothing outside the root is reachable through a volume.
import type { Descriptor, DescriptorType } from 'wasi:filesystem/types@0.2.12';

export type EntryKind = 'file' | 'directory';

export interface EntryStat {
  kind: EntryKind;
  size: number;
  mtimeMs: number;
}

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

export interface Volume {
  /** False for memory volumes: what is written there is lost with the instance and cannot be listed by the host. */
  readonly persistent: boolean;
  stat(path: readonly string[]): EntryStat | undefined;
  readFile(path: readonly string[]): Uint8Array;
  writeFile(path: readonly string[], data: Uint8Array, append?: boolean): void;
  readdir(path: readonly string[]): { name: string; kind: EntryKind }[];
  mkdir(path: readonly string[]): void;
  unlink(path: readonly string[]): void;
  rmdir(path: readonly string[]): void;
  rename(from: readonly string[], to: readonly string[]): void;
}

const show = (path: readonly string[]) => path.join('/') || '.';

/** Removes a file or a directory tree; missing paths are fine. */
export function removeTree(volume: Volume, path: readonly string[]): void {
  const stat = volume.stat(path);
  if (!stat) return;
  if (stat.kind === 'file') return volume.unlink(path);
  for (const entry of volume.readdir(path)) removeTree(volume, [...path, entry.name]);
  volume.rmdir(path);
}

/** Every file below `path`, as paths relative to it, sorted. */
export function listFilesRecursive(volume: Volume, path: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: readonly string[], prefix: string) => {
    for (const entry of volume.readdir(dir)) {
      const rel = prefix + entry.name;
      if (entry.kind === 'directory') walk([...dir, entry.name], `${rel}/`);
      else out.push(rel);
    }
  };
  walk(path, '');
  return out.sort();
}

/** Creates every missing directory on the way to `path` (inclusive). */
export function mkdirp(volume: Volume, path: readonly string[]): void {
  for (let i = 1; i <= path.length; i++) {
    const prefix = path.slice(0, i);
    const stat = volume.stat(prefix);
    if (!stat) volume.mkdir(prefix);
    else if (stat.kind !== 'directory') throw new VolumeError('ENOTDIR', 'mkdir', show(prefix));
  }
}

// ---------------------------------------------------------------------------------------------------------------

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
 * the writes without it.
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
   * following symlinks (the Node shim would follow them out of the root), and releases what it opened.
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

// ---------------------------------------------------------------------------------------------------------------

type MemoryNode = { kind: 'file'; data: Uint8Array; mtimeMs: number } | { kind: 'directory'; children: Map<string, MemoryNode> };

/** A volume held in memory, for hosts that grant no filesystem (the ticket's degradation rule). */
export class MemoryVolume implements Volume {
  readonly persistent = false;
  private readonly root: MemoryNode = { kind: 'directory', children: new Map() };

  private dirAt(path: readonly string[], syscall: string): Map<string, MemoryNode> {
    let node = this.root;
    for (const part of path) {
      if (node.kind !== 'directory') throw new VolumeError('ENOTDIR', syscall, show(path));
      const next = node.children.get(part);
      if (!next) throw new VolumeError('ENOENT', syscall, show(path));
      node = next;
    }
    if (node.kind !== 'directory') throw new VolumeError('ENOTDIR', syscall, show(path));
    return node.children;
  }

  private node(path: readonly string[]): MemoryNode | undefined {
    let node: MemoryNode | undefined = this.root;
    for (const part of path) node = node?.kind === 'directory' ? node.children.get(part) : undefined;
    return node;
  }

  stat(path: readonly string[]): EntryStat | undefined {
    const node = this.node(path);
    if (!node) return undefined;
    return node.kind === 'file' ? { kind: 'file', size: node.data.length, mtimeMs: node.mtimeMs } : { kind: 'directory', size: 0, mtimeMs: 0 };
  }

  readFile(path: readonly string[]): Uint8Array {
    const node = this.node(path);
    if (!node) throw new VolumeError('ENOENT', 'open', show(path));
    if (node.kind !== 'file') throw new VolumeError('EISDIR', 'read', show(path));
    return node.data.slice();
  }

  writeFile(path: readonly string[], data: Uint8Array, append = false): void {
    const dir = this.dirAt(path.slice(0, -1), 'open');
    const name = path[path.length - 1];
    const existing = dir.get(name);
    if (existing?.kind === 'directory') throw new VolumeError('EISDIR', 'open', show(path));
    let bytes = data.slice();
    if (append && existing) {
      bytes = new Uint8Array(existing.data.length + data.length);
      bytes.set(existing.data);
      bytes.set(data, existing.data.length);
    }
    dir.set(name, { kind: 'file', data: bytes, mtimeMs: Date.now() });
  }

  readdir(path: readonly string[]): { name: string; kind: EntryKind }[] {
    return [...this.dirAt(path, 'scandir')]
      .map(([name, node]) => ({ name, kind: node.kind }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  mkdir(path: readonly string[]): void {
    const dir = this.dirAt(path.slice(0, -1), 'mkdir');
    const name = path[path.length - 1];
    if (dir.has(name)) throw new VolumeError('EEXIST', 'mkdir', show(path));
    dir.set(name, { kind: 'directory', children: new Map() });
  }

  unlink(path: readonly string[]): void {
    const dir = this.dirAt(path.slice(0, -1), 'unlink');
    const node = dir.get(path[path.length - 1]);
    if (!node) throw new VolumeError('ENOENT', 'unlink', show(path));
    if (node.kind !== 'file') throw new VolumeError('EISDIR', 'unlink', show(path));
    dir.delete(path[path.length - 1]);
  }

  rmdir(path: readonly string[]): void {
    const dir = this.dirAt(path.slice(0, -1), 'rmdir');
    const node = dir.get(path[path.length - 1]);
    if (!node) throw new VolumeError('ENOENT', 'rmdir', show(path));
    if (node.kind !== 'directory') throw new VolumeError('ENOTDIR', 'rmdir', show(path));
    if (node.children.size) throw new VolumeError('ENOTEMPTY', 'rmdir', show(path));
    dir.delete(path[path.length - 1]);
  }

  rename(from: readonly string[], to: readonly string[]): void {
    const fromDir = this.dirAt(from.slice(0, -1), 'rename');
    const node = fromDir.get(from[from.length - 1]);
    if (!node) throw new VolumeError('ENOENT', 'rename', show(from));
    const toDir = this.dirAt(to.slice(0, -1), 'rename');
    fromDir.delete(from[from.length - 1]);
    toDir.set(to[to.length - 1], node);
  }
}

/** A view of a volume below one of its directories: how sessions and runs get a root of their own. */
export class SubVolume implements Volume {
  constructor(
    private readonly base: Volume,
    private readonly prefix: readonly string[],
  ) {}
  get persistent() {
    return this.base.persistent;
  }
  private p(path: readonly string[]) {
    return [...this.prefix, ...path];
  }
  stat(path: readonly string[]) {
    return this.base.stat(this.p(path));
  }
  readFile(path: readonly string[]) {
    return this.base.readFile(this.p(path));
  }
  writeFile(path: readonly string[], data: Uint8Array, append?: boolean) {
    this.base.writeFile(this.p(path), data, append);
  }
  readdir(path: readonly string[]) {
    return this.base.readdir(this.p(path));
  }
  mkdir(path: readonly string[]) {
    this.base.mkdir(this.p(path));
  }
  unlink(path: readonly string[]) {
    this.base.unlink(this.p(path));
  }
  rmdir(path: readonly string[]) {
    this.base.rmdir(this.p(path));
  }
  rename(from: readonly string[], to: readonly string[]) {
    this.base.rename(this.p(from), this.p(to));
  }
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * A stateless run's directory, created only when the program first uses the filesystem. The run's files are staged
 * in memory; the module loader reads them from there (`codeVolume`), and the first call through this volume itself
 * (the program's fs calls) creates the directory and writes the staged files into it, after which everything,
 * loader included, goes to disk. A program that only loads its own modules (most programs) costs no host file
 * operation at all: creating, writing and removing `run-<hex>` were about half of a warm hello-world run.
 * Paths (`__filename`, `process.cwd()`, stack traces) are the directory's either way.
 */
export class DeferredVolume implements Volume {
  readonly persistent = true;
  /** The run's files until the directory exists. */
  readonly staged = new MemoryVolume();
  private disk: Volume | undefined;

  constructor(private readonly create: () => Volume) {}

  get materialised(): boolean {
    return this.disk !== undefined;
  }

  /** Where the loader reads modules: the staged files, or the directory once it exists (the program may have changed them). */
  get code(): Volume {
    return this.disk ?? this.staged;
  }

  private target(): Volume {
    if (!this.disk) {
      const disk = this.create();
      this.disk = disk;
      for (const file of listFilesRecursive(this.staged, [])) {
        const path = file.split('/');
        mkdirp(disk, path.slice(0, -1));
        disk.writeFile(path, this.staged.readFile(path));
      }
    }
    return this.disk;
  }

  stat(path: readonly string[]) {
    return this.target().stat(path);
  }
  readFile(path: readonly string[]) {
    return this.target().readFile(path);
  }
  writeFile(path: readonly string[], data: Uint8Array, append?: boolean) {
    this.target().writeFile(path, data, append);
  }
  readdir(path: readonly string[]) {
    return this.target().readdir(path);
  }
  mkdir(path: readonly string[]) {
    this.target().mkdir(path);
  }
  unlink(path: readonly string[]) {
    this.target().unlink(path);
  }
  rmdir(path: readonly string[]) {
    this.target().rmdir(path);
  }
  rename(from: readonly string[], to: readonly string[]) {
    this.target().rename(from, to);
  }
}

/** The volume the module loader reads code from (see DeferredVolume). */
export function codeVolume(volume: Volume): Volume {
  return volume instanceof DeferredVolume ? volume.code : volume;
}

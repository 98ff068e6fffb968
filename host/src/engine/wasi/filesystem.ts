// wasi:filesystem/types and wasi:filesystem/preopens over synchronous node:fs calls, in the calling thread.
// Every path goes through paths.ts (confinement to the preopen): it names the entry an fs call acts on, and the call
// does not follow it. A descriptor of a read-only preopen, and everything opened from it, refuses every change with
// `read-only` (the guest sees EROFS): that is how the host enforces read-only mounts, whatever the guest does.
import {
  closeSync, constants, fdatasyncSync, fstatSync, ftruncateSync, futimesSync, linkSync, lutimesSync, mkdirSync,
  openSync, readSync, readdirSync, readlinkSync, renameSync, rmdirSync, unlinkSync, fsyncSync,
  writeSync, type BigIntStats, type Dirent,
} from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ENTRY_BYTES, type DiskQuota, type RemovedEntry } from './disk-quota.js';
import { fsCall, type ErrorCode } from './errors.js';
import { resolve, type Place, type Root } from './paths.js';
import { FileHandle, FileInputStream, FileOutputStream, IoError } from './streams.js';

// The shapes of wasi:filesystem/types, as jco declares them (generated from wit/ at build time).
import type {
  DescriptorFlags, DescriptorType, NewTimestamp, OpenFlags, PathFlags,
} from '../wit/interfaces/wasi-filesystem-types.js';
import type { Datetime } from '../wit/interfaces/wasi-clocks-wall-clock.js';

interface FileKind {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

function typeOf(kind: FileKind): DescriptorType {
  if (kind.isFile()) return 'regular-file';
  if (kind.isDirectory()) return 'directory';
  if (kind.isSymbolicLink()) return 'symbolic-link';
  if (kind.isFIFO()) return 'fifo';
  if (kind.isSocket()) return 'socket';
  if (kind.isCharacterDevice()) return 'character-device';
  if (kind.isBlockDevice()) return 'block-device';
  return 'unknown';
}

const NS = 1_000_000_000n;
const datetime = (ns: bigint): Datetime => ({ seconds: ns / NS, nanoseconds: Number(ns % NS) });

function descriptorStat(stats: BigIntStats) {
  return {
    type: typeOf(stats),
    linkCount: stats.nlink,
    size: stats.size,
    dataAccessTimestamp: datetime(stats.atimeNs),
    dataModificationTimestamp: datetime(stats.mtimeNs),
    statusChangeTimestamp: datetime(stats.ctimeNs),
  };
}

/** wasi-libc takes st_dev/st_ino from the metadata hash: identity, not content. */
const identity = (stats: BigIntStats) => ({ upper: stats.dev, lower: stats.ino });

/** Seconds (Node's fs time argument) for a new timestamp; `current` (ns) for no-change. */
function seconds(timestamp: NewTimestamp, current: bigint): number {
  switch (timestamp.tag) {
    case 'no-change':
      return Number(current) / 1e9;
    case 'now':
      return Date.now() / 1000;
    case 'timestamp':
      return Number(timestamp.val.seconds) + timestamp.val.nanoseconds / 1e9;
  }
}

/**
 * The host files one instance has open, and the quota their writes are charged to. A guest that never drops a
 * descriptor would otherwise keep its fd for the life of the thread, also after its instance is replaced; `closeAll`
 * ends them with the instance.
 */
export class OpenFiles {
  /**
   * Host fds one instance may hold at once. Each open file of a program is an fd of the host process, and REPL state
   * can hold them across calls: without a cap one sandbox could take every fd the process has (another caller's runs
   * then fail with EMFILE). Linux's usual soft limit per process; CPython and Node programs rarely hold more than a few.
   */
  static readonly MAX_OPEN = 1024;
  readonly #open = new Set<FileHandle>();
  /** Inodes removed while open: their bytes are credited when the last descriptor closes. */
  readonly #removedWhileOpen = new Set<number>();
  constructor(readonly quota: DiskQuota) {}
  open(fd: number): FileHandle {
    const ino = fstatSync(fd).ino;
    const handle = new FileHandle(fd, ino, this.quota, (closing) => {
      this.#open.delete(closing);
      this.#creditIfLastClosed(closing);
      try {
        closeSync(closing.rawFd);
      } catch {
        // Closing can only fail for an fd that is already gone.
      }
    });
    this.#open.add(handle);
    return handle;
  }
  closeAll(): void {
    for (const handle of [...this.#open]) handle.forceClose();
  }

  /** Throws when the instance holds MAX_OPEN files already (WASI has no EMFILE: `insufficient-memory`, ENOMEM). */
  checkRoom(): void {
    if (this.#open.size >= OpenFiles.MAX_OPEN) throw 'insufficient-memory';
  }

  /**
   * Credits what a removed (unlinked, or replaced by a rename) entry held: the entry itself, and its bytes if it was
   * the file's last link, at once or, while a descriptor still has the file open, when the last one closes.
   */
  removed(entry: RemovedEntry | undefined): void {
    if (!entry) return;
    this.quota.shrink(ENTRY_BYTES);
    if (!entry.isFile() || entry.nlink !== 1n) return;
    const ino = Number(entry.ino);
    if (this.#isOpen(ino)) this.#removedWhileOpen.add(ino);
    else this.quota.shrink(Number(entry.size));
  }

  #isOpen(ino: number): boolean {
    for (const handle of this.#open) if (handle.ino === ino) return true;
    return false;
  }

  #creditIfLastClosed(closing: FileHandle): void {
    if (!this.#removedWhileOpen.has(closing.ino) || this.#isOpen(closing.ino)) return;
    this.#removedWhileOpen.delete(closing.ino);
    try {
      this.quota.shrink(fstatSync(closing.rawFd).size);
    } catch {
      // The fd is gone: the reset's recount settles the usage.
    }
  }

  /** Charges a new entry around `create`; refunds it if the creation fails. */
  creating<T>(create: () => T): T {
    this.quota.charge(ENTRY_BYTES);
    try {
      return create();
    } catch (error) {
      this.quota.shrink(ENTRY_BYTES);
      throw error;
    }
  }
}

export class Descriptor {
  readonly #root: Root;
  readonly #files: OpenFiles;
  /** For a directory: where it was opened, as components below the root (the by-name resolver's start, see paths.ts). */
  readonly #segments: string[];
  /** The open host file (for a directory, the handle paths below it are resolved from); undefined for a preopen. */
  #file: FileHandle | undefined;
  /**
   * A preopen's handle on its host directory, opened at first use and again after the instance's files were closed:
   * paths resolve from the directory, as from a real preopen, whatever is renamed on the host.
   */
  #rootHandle: FileHandle | undefined;
  #isPreopen = false;
  readonly #type: DescriptorType;
  readonly #flags: DescriptorFlags;

  private constructor(root: Root, files: OpenFiles, segments: string[], file: FileHandle | undefined, type: DescriptorType, flags: DescriptorFlags) {
    this.#root = root;
    this.#files = files;
    this.#segments = segments;
    this.#file = file;
    this.#type = type;
    this.#flags = flags;
  }

  static preopen(root: Root, files: OpenFiles): Descriptor {
    const descriptor = new Descriptor(root, files, [], undefined, 'directory', { read: true, mutateDirectory: !root.readOnly });
    descriptor.#isPreopen = true;
    return descriptor;
  }

  [Symbol.dispose](): void {
    this.#file?.release();
    this.#file = undefined;
  }

  // --- helpers -------------------------------------------------------------------------------------------------

  get #readOnly(): boolean {
    return this.#root.readOnly;
  }

  #refuseIfReadOnly(): void {
    if (this.#readOnly) throw 'read-only';
  }

  #fd(): number {
    if (!this.#file) throw this.#type === 'directory' ? 'is-directory' : 'bad-descriptor';
    return this.#file.fd;
  }

  /** Resolves `path` below this directory (dispose of the place after the call). */
  #resolve(path: string, followLast: boolean): Place {
    if (this.#type !== 'directory') throw 'not-directory';
    return resolve({ root: this.#root, segments: this.#segments, fd: this.#hostFd() }, path, followLast);
  }

  /** Resolves a path whose last component is to be created, removed or renamed: never this directory itself. */
  #resolveEntry(path: string, whenSelf: ErrorCode): Place {
    const place = this.#resolve(path, false);
    if (place.self) {
      place[Symbol.dispose]();
      throw whenSelf;
    }
    return place;
  }

  /** The host fd this descriptor stands for: its open file or directory, or a preopen's handle on its directory. */
  #hostFd(): number {
    if (this.#file) return this.#file.fd;
    if (!this.#isPreopen) throw 'bad-descriptor';
    if (!this.#rootHandle || this.#rootHandle.closed) {
      const fd = fsCall(() => openSync(this.#root.hostPath, constants.O_RDONLY | constants.O_DIRECTORY));
      this.#rootHandle = this.#files.open(fd);
    }
    return this.#rootHandle.fd;
  }

  #statSelf(): BigIntStats {
    return fsCall(() => fstatSync(this.#hostFd(), { bigint: true }));
  }

  // --- the descriptor itself ------------------------------------------------------------------------------------

  readViaStream(offset: bigint): FileInputStream {
    this.#fd();
    return new FileInputStream(this.#file!, offset);
  }

  writeViaStream(offset: bigint): FileOutputStream {
    this.#refuseIfReadOnly();
    this.#refuseIfFull(Number(offset));
    return new FileOutputStream(this.#file!, offset);
  }

  appendViaStream(): FileOutputStream {
    this.#refuseIfReadOnly();
    this.#refuseIfFull(undefined);
    return new FileOutputStream(this.#file!, undefined);
  }

  /** A stream that could not write a byte is refused when it is opened, with the code (see FileOutputStream). */
  #refuseIfFull(offset: number | undefined): void {
    const size = fsCall(() => fstatSync(this.#fd())).size;
    this.#files.quota.room(size, offset ?? size);
  }

  advise(_offset: bigint, _length: bigint, _advice: string): void {
    // Advice only; Node has no posix_fadvise.
  }

  syncData(): void {
    if (this.#file) fsCall(() => fdatasyncSync(this.#file!.fd));
  }

  sync(): void {
    if (this.#file) fsCall(() => fsyncSync(this.#file!.fd));
  }

  getFlags(): DescriptorFlags {
    if (this.#readOnly) return { ...this.#flags, write: false, mutateDirectory: false };
    return { ...this.#flags };
  }

  getType(): DescriptorType {
    return this.#type;
  }

  setSize(size: bigint): void {
    this.#refuseIfReadOnly();
    const fd = this.#fd();
    const current = fsCall(() => fstatSync(fd)).size;
    this.#files.quota.grow(current, Number(size));
    fsCall(() => ftruncateSync(fd, Number(size)));
    if (Number(size) < current) this.#files.quota.shrink(current - Number(size));
  }

  setTimes(access: NewTimestamp, modification: NewTimestamp): void {
    this.#refuseIfReadOnly();
    const current = this.#statSelf();
    const atime = seconds(access, current.atimeNs);
    const mtime = seconds(modification, current.mtimeNs);
    fsCall(() => futimesSync(this.#hostFd(), atime, mtime));
  }

  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    const fd = this.#fd();
    const want = Math.min(Number(length), 1 << 20);
    const buffer = Buffer.allocUnsafe(want);
    const n = fsCall(() => readSync(fd, buffer, 0, want, Number(offset)));
    return [buffer.subarray(0, n), n === 0 && want > 0];
  }

  write(buffer: Uint8Array, offset: bigint): bigint {
    this.#refuseIfReadOnly();
    const fd = this.#fd();
    this.#files.quota.grow(fsCall(() => fstatSync(fd)).size, Number(offset) + buffer.length);
    return BigInt(fsCall(() => writeSync(fd, buffer, 0, buffer.length, Number(offset))));
  }

  readDirectory(): DirectoryEntryStream {
    using here = this.#resolve('.', true);
    return new DirectoryEntryStream(fsCall(() => readdirSync(here.path, { withFileTypes: true })));
  }

  stat() {
    return descriptorStat(this.#statSelf());
  }

  isSameObject(other: Descriptor): boolean {
    if (other === this) return true;
    if (!(other instanceof Descriptor)) return false;
    const [a, b] = [this.#statSelf(), other.#statSelf()];
    return a.dev === b.dev && a.ino === b.ino;
  }

  metadataHash() {
    return identity(this.#statSelf());
  }

  // --- paths below this directory -------------------------------------------------------------------------------

  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): Descriptor {
    if (flags.fileIntegritySync || flags.dataIntegritySync || flags.requestedWriteSync) throw 'unsupported';
    if (this.#readOnly) {
      if (openFlags.create || openFlags.truncate || flags.write) throw 'read-only';
      // wasi-libc and the JS guest ask for mutate-directory on every open; under a read-only root it means nothing.
      flags = { ...flags, mutateDirectory: false };
    }
    using place = this.#resolve(path, !!pathFlags.symlinkFollow);
    let mode = flags.write ? (flags.read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
    if (openFlags.create) mode |= constants.O_CREAT;
    if (openFlags.exclusive) mode |= constants.O_EXCL;
    if (openFlags.truncate) mode |= constants.O_TRUNC;
    if (openFlags.directory || path.endsWith('/')) mode |= constants.O_DIRECTORY;
    // The last component was resolved here (followed or not): the OS must not follow a symlink there.
    mode |= constants.O_NOFOLLOW;
    this.#files.checkRoom();
    const open = () => fsCall(() => openSync(place.path, mode));
    const fd = openFlags.create && !place.stats ? this.#files.creating(open) : open();
    if (openFlags.truncate && place.stats?.isFile()) this.#files.quota.shrink(Number(place.stats.size));
    const file = this.#files.open(fd);
    try {
      const type = typeOf(fsCall(() => fstatSync(fd)));
      return new Descriptor(this.#root, this.#files, place.segments, file, type, { ...flags });
    } catch (error) {
      file.release();
      throw error;
    }
  }

  statAt(pathFlags: PathFlags, path: string) {
    using place = this.#resolve(path, !!pathFlags.symlinkFollow);
    if (!place.stats) throw 'no-entry';
    return descriptorStat(place.stats);
  }

  metadataHashAt(pathFlags: PathFlags, path: string) {
    using place = this.#resolve(path, !!pathFlags.symlinkFollow);
    if (!place.stats) throw 'no-entry';
    return identity(place.stats);
  }

  setTimesAt(pathFlags: PathFlags, path: string, access: NewTimestamp, modification: NewTimestamp): void {
    this.#refuseIfReadOnly();
    using place = this.#resolve(path, !!pathFlags.symlinkFollow);
    const current = place.stats;
    if (!current) throw 'no-entry';
    fsCall(() => lutimesSync(place.path, seconds(access, current.atimeNs), seconds(modification, current.mtimeNs)));
  }

  readlinkAt(path: string): string {
    using place = this.#resolve(path, false);
    return fsCall(() => readlinkSync(place.path));
  }

  createDirectoryAt(path: string): void {
    this.#refuseIfReadOnly();
    using place = this.#resolveEntry(path, 'exist');
    this.#files.creating(() => fsCall(() => mkdirSync(place.path)));
  }

  removeDirectoryAt(path: string): void {
    this.#refuseIfReadOnly();
    using place = this.#resolveEntry(path, 'invalid');
    fsCall(() => rmdirSync(place.path));
    this.#files.removed(place.stats);
  }

  unlinkFileAt(path: string): void {
    this.#refuseIfReadOnly();
    using place = this.#resolveEntry(path, 'is-directory');
    if (path.endsWith('/')) throw place.stats?.isDirectory() ? 'is-directory' : 'not-directory';
    fsCall(() => unlinkSync(place.path));
    this.#files.removed(place.stats);
  }

  /**
   * Refused: every preopen is a host directory (the workspace, a mount) that the host and other programs read too, and
   * a relative symlink that points inside when made can be turned outward by a rename (of it, or of a directory above
   * it: `a/b/l -> ../../x`, then `a/b` renamed to `b`). This resolver never follows one out, but they might.
   */
  symlinkAt(_target: string, _path: string): void {
    this.#refuseIfReadOnly();
    throw 'not-permitted';
  }

  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    if (!(newDescriptor instanceof Descriptor)) throw 'bad-descriptor';
    // A rename out of a read-only tree removes an entry there; into one adds one.
    this.#refuseIfReadOnly();
    newDescriptor.#refuseIfReadOnly();
    using from = this.#resolveEntry(oldPath, 'busy');
    using to = newDescriptor.#resolveEntry(newPath, 'busy');
    fsCall(() => renameSync(from.path, to.path));
    // A rename onto the same file (itself, or another link of it) replaces nothing.
    const sameFile = to.stats && from.stats && to.stats.ino === from.stats.ino && to.stats.dev === from.stats.dev;
    if (!sameFile) this.#files.removed(to.stats);
  }

  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    if (!(newDescriptor instanceof Descriptor)) throw 'bad-descriptor';
    // A hard link from a read-only tree into a writable one would make the file writable.
    this.#refuseIfReadOnly();
    newDescriptor.#refuseIfReadOnly();
    using from = this.#resolve(oldPath, !!oldPathFlags.symlinkFollow);
    using to = newDescriptor.#resolveEntry(newPath, 'exist');
    this.#files.creating(() => fsCall(() => linkSync(from.path, to.path)));
  }
}

export class DirectoryEntryStream {
  #entries: Dirent[];
  #next = 0;
  constructor(entries: Dirent[]) {
    this.#entries = entries;
  }
  readDirectoryEntry(): { name: string; type: DescriptorType } | undefined {
    const entry = this.#entries[this.#next++];
    return entry && { name: entry.name, type: typeOf(entry) };
  }
}

/** wasi:filesystem/types.filesystem-error-code: the code of a stream error that came from the filesystem. */
export function filesystemErrorCode(error: IoError): string | undefined {
  return error instanceof IoError ? error.code : undefined;
}

/** The preopens of one instance: guest path → host directory; `readOnly` lists guest paths. */
export function createPreopens(preopens: Record<string, string>, readOnly: readonly string[], files: OpenFiles): [Descriptor, string][] {
  const marked = new Set(readOnly);
  for (const path of marked) if (!(path in preopens)) throw new Error(`read-only preopen ${path} is not a preopen`);
  return Object.entries(preopens).map(([guestPath, hostPath]) => [
    Descriptor.preopen({ hostPath: resolvePath(hostPath), readOnly: marked.has(guestPath) }, files),
    guestPath,
  ]);
}

// node:fs over the run's volume. Paths resolve against the program's cwd and must stay below the sandbox root or
// below a host mount (mounts.ts: absolute guest paths such as /data, each its own volume);
// fd 0 and /dev/stdin read the run's stdin. Writes past the file-size limit fail with EFBIG and write nothing.
import { Buffer } from 'buffer';
import posix from 'path-browserify';
import { VolumeError } from '../volume/errors.js';
import { mkdirp, removeTree, type EntryStat, type Volume } from '../volume/volume.js';
import { mountAt } from '../mounts.js';
import { realSetTimeout } from '../intrinsics.js';
import type { RunContext } from './context.js';
import { createFsStreams } from './modules/fs-streams.js';

const ERRNO: Record<string, number> = { ENOENT: -2, EACCES: -13, EEXIST: -17, ENOTDIR: -20, EISDIR: -21, EINVAL: -22, EFBIG: -27, ENOTEMPTY: -39, ELOOP: -40, EIO: -5, EROFS: -30, EXDEV: -18, ENOSPC: -28, EDQUOT: -122 };
const MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EEXIST: 'file already exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'illegal operation on a directory',
  EINVAL: 'invalid argument',
  EFBIG: 'file too large',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'too many symbolic links encountered',
  EIO: 'i/o error',
  EROFS: 'read-only file system',
  EXDEV: 'cross-device link not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

export function fsError(code: string, syscall: string, path: string, dest?: string): Error {
  const message = `${code}: ${MESSAGES[code] ?? 'i/o error'}, ${syscall} '${path}'${dest ? ` -> '${dest}'` : ''}`;
  return Object.assign(new Error(message), { errno: ERRNO[code] ?? -5, code, syscall, path, ...(dest ? { dest } : {}) });
}

type PathLike = string | Buffer | URL;
type Options = { encoding?: BufferEncoding | null; flag?: string; recursive?: boolean; withFileTypes?: boolean; force?: boolean } | BufferEncoding | null | undefined;

const STDIN_PATHS = new Set(['/dev/stdin', '/proc/self/fd/0']);

class Stats {
  dev = 2049;
  ino = 0;
  nlink = 1;
  uid = 0;
  gid = 0;
  rdev = 0;
  blksize = 4096;
  blocks: number;
  size: number;
  mode: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
  atime: Date;
  mtime: Date;
  ctime: Date;
  birthtime: Date;
  constructor(private readonly kind: 'file' | 'directory', stat: EntryStat) {
    this.size = stat.size;
    this.blocks = Math.ceil(stat.size / 512);
    this.mode = kind === 'file' ? 0o100644 : 0o40755;
    this.atimeMs = this.mtimeMs = this.ctimeMs = this.birthtimeMs = stat.mtimeMs;
    this.atime = this.mtime = this.ctime = this.birthtime = new Date(stat.mtimeMs);
  }
  isFile() {
    return this.kind === 'file';
  }
  isDirectory() {
    return this.kind === 'directory';
  }
  isSymbolicLink() {
    return false;
  }
  isFIFO() {
    return false;
  }
  isSocket() {
    return false;
  }
  isBlockDevice() {
    return false;
  }
  isCharacterDevice() {
    return false;
  }
}

class Dirent {
  constructor(
    readonly name: string,
    private readonly kind: 'file' | 'directory',
    readonly parentPath: string,
  ) {}
  get path() {
    return this.parentPath;
  }
  isFile() {
    return this.kind === 'file';
  }
  isDirectory() {
    return this.kind === 'directory';
  }
  isSymbolicLink() {
    return false;
  }
}

export function createFs(ctx: RunContext) {
  const { volume, rootPath } = ctx.request;
  const { fileSizeLimit } = ctx;

  const pathString = (p: PathLike, name = 'path'): string => {
    if (typeof p === 'string') return p;
    if (p instanceof Uint8Array) return Buffer.from(p).toString();
    if (p instanceof URL && p.protocol === 'file:') return decodeURIComponent(p.pathname);
    throw Object.assign(new TypeError(`The "${name}" argument must be of type string or an instance of Buffer or URL. Received ${p === undefined ? 'undefined' : typeof p}`), { code: 'ERR_INVALID_ARG_TYPE' });
  };

  /** The absolute guest path of `p`, the volume holding it (the sandbox's or a mount's) and its segments there. */
  const resolve = (p: PathLike, syscall: string): { display: string; absolute: string; volume: Volume; segments: string[] } => {
    const display = pathString(p);
    const absolute = posix.resolve(ctx.cwdPath, display);
    if (absolute === rootPath) return { display, absolute, volume, segments: [] };
    if (absolute.startsWith(`${rootPath}/`)) return { display, absolute, volume, segments: absolute.slice(rootPath.length + 1).split('/') };
    const mounted = mountAt(absolute);
    if (mounted) return { display, absolute, ...mounted };
    throw fsError(STDIN_PATHS.has(absolute) ? 'EINVAL' : 'EACCES', syscall, display);
  };

  const guard = <T>(fn: () => T, syscall: string, display: string): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof VolumeError) throw fsError(error.code, syscall, display);
      throw error;
    }
  };

  const encodingOf = (options: Options): BufferEncoding | null | undefined => (typeof options === 'string' ? options : (options?.encoding ?? undefined));

  const isStdin = (p: unknown) => p === 0 || (typeof p === 'string' && STDIN_PATHS.has(p));

  function readFileSync(p: PathLike | number, options?: Options) {
    const encoding = encodingOf(options);
    let bytes: Uint8Array;
    if (isStdin(p)) bytes = ctx.request.stdin.readAll();
    else {
      if (typeof p === 'number') throw fsError('EBADF', 'read', String(p));
      const { display, volume, segments } = resolve(p, 'open');
      bytes = guard(() => volume.readFile(segments), 'open', display);
    }
    const buffer = Buffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
    return encoding ? buffer.toString(encoding) : buffer;
  }

  const toBytes = (data: unknown, options: Options): Uint8Array => {
    if (typeof data === 'string') return Buffer.from(data, encodingOf(options) ?? 'utf8');
    if (data instanceof Uint8Array) return data;
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    throw Object.assign(new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${typeof data}`), { code: 'ERR_INVALID_ARG_TYPE' });
  };

  function write(p: PathLike | number, data: unknown, options: Options, append: boolean) {
    const bytes = toBytes(data, options);
    if (p === 1 || p === 2) {
      (p === 1 ? ctx.stdout : ctx.stderr).write(bytes);
      return;
    }
    const { display, volume, segments } = resolve(p as PathLike, 'open');
    const flag = typeof options === 'object' && options?.flag;
    if (flag && flag.startsWith('a')) append = true;
    if (flag && flag.includes('x') && volume.stat(segments)) throw fsError('EEXIST', 'open', display);
    const existing = append ? (volume.stat(segments)?.size ?? 0) : 0;
    if (existing + bytes.length > fileSizeLimit) throw fsError('EFBIG', 'write', display);
    guard(() => volume.writeFile(segments, bytes, append), 'open', display);
  }

  const writeFileSync = (p: PathLike | number, data: unknown, options?: Options) => write(p, data, options, false);
  const appendFileSync = (p: PathLike | number, data: unknown, options?: Options) => write(p, data, options, true);

  function statSync(p: PathLike, options?: { throwIfNoEntry?: boolean }) {
    const { display, volume, segments } = resolve(p, 'stat');
    const stat = guard(() => volume.stat(segments), 'stat', display);
    if (!stat) {
      if (options?.throwIfNoEntry === false) return undefined;
      throw fsError('ENOENT', 'stat', display);
    }
    return new Stats(stat.kind, stat);
  }

  function existsSync(p: PathLike) {
    try {
      const { volume, segments } = resolve(p, 'access');
      return !!volume.stat(segments);
    } catch {
      return false;
    }
  }

  function accessSync(p: PathLike) {
    statSync(p);
  }

  function readdirSync(p: PathLike, options?: Options) {
    const { display, volume, segments, absolute } = resolve(p, 'scandir');
    const recursive = typeof options === 'object' && options?.recursive;
    const withFileTypes = typeof options === 'object' && options?.withFileTypes;
    const out: (string | Dirent)[] = [];
    const walk = (dir: string[], prefix: string, parentPath: string) => {
      for (const entry of guard(() => volume.readdir(dir), 'scandir', display)) {
        out.push(withFileTypes ? new Dirent(entry.name, entry.kind, parentPath) : prefix + entry.name);
        if (recursive && entry.kind === 'directory') walk([...dir, entry.name], `${prefix}${entry.name}/`, `${parentPath}/${entry.name}`);
      }
    };
    walk(segments, '', absolute);
    return out;
  }

  function mkdirSync(p: PathLike, options?: { recursive?: boolean } | number) {
    const { display, volume, segments, absolute } = resolve(p, 'mkdir');
    if (typeof options === 'object' && options?.recursive) {
      const existed = volume.stat(segments);
      guard(() => mkdirp(volume, segments), 'mkdir', display);
      return existed ? undefined : absolute;
    }
    if (segments.length === 0 || volume.stat(segments)) throw fsError('EEXIST', 'mkdir', display);
    guard(() => volume.mkdir(segments), 'mkdir', display);
    return undefined;
  }

  function unlinkSync(p: PathLike) {
    const { display, volume, segments } = resolve(p, 'unlink');
    guard(() => volume.unlink(segments), 'unlink', display);
  }

  function rmdirSync(p: PathLike, options?: { recursive?: boolean }) {
    const { display, volume, segments } = resolve(p, 'rmdir');
    if (segments.length === 0) throw fsError('EACCES', 'rmdir', display);
    if (options?.recursive) return guard(() => removeTree(volume, segments), 'rmdir', display);
    guard(() => volume.rmdir(segments), 'rmdir', display);
  }

  function rmSync(p: PathLike, options?: { recursive?: boolean; force?: boolean }) {
    const { display, volume, segments } = resolve(p, 'rm');
    const stat = guard(() => volume.stat(segments), 'rm', display);
    if (!stat) {
      if (options?.force) return;
      throw fsError('ENOENT', 'rm', display);
    }
    if (segments.length === 0) throw fsError('EACCES', 'rm', display);
    if (stat.kind === 'directory') {
      if (!options?.recursive) throw Object.assign(new Error(`Path is a directory: rm returned EISDIR (is a directory) ${display}`), { code: 'ERR_FS_EISDIR' });
      return guard(() => removeTree(volume, segments), 'rm', display);
    }
    guard(() => volume.unlink(segments), 'rm', display);
  }

  function renameSync(from: PathLike, to: PathLike) {
    const a = resolve(from, 'rename');
    const b = resolve(to, 'rename');
    if (a.volume !== b.volume) throw fsError('EXDEV', 'rename', a.display, b.display);
    guard(() => a.volume.rename(a.segments, b.segments), 'rename', a.display);
  }

  function copyFileSync(from: PathLike, to: PathLike) {
    writeFileSync(to, readFileSync(from));
  }

  function realpathSync(p: PathLike) {
    statSync(p);
    return resolve(p, 'realpath').absolute;
  }

  const sync = {
    readFileSync,
    writeFileSync,
    appendFileSync,
    statSync,
    lstatSync: statSync,
    existsSync,
    accessSync,
    readdirSync,
    mkdirSync,
    unlinkSync,
    rmdirSync,
    rmSync,
    renameSync,
    copyFileSync,
    realpathSync,
  };

  // Callback and promise forms run the synchronous operation on a later turn, as Node's thread pool would.
  const callbackForm = (fn: Function) =>
    function (this: unknown, ...args: unknown[]) {
      const callback = args.pop();
      if (typeof callback !== 'function') {
        throw Object.assign(new TypeError(`The "cb" argument must be of type function. Received ${typeof callback}`), { code: 'ERR_INVALID_ARG_TYPE' });
      }
      const release = ctx.hold();
      realSetTimeout(() => {
        release();
        let result: unknown;
        try {
          result = fn(...args);
        } catch (error) {
          return ctx.invoke(callback, undefined, [error]);
        }
        ctx.invoke(callback, undefined, [null, result]);
      }, 0);
    };
  const promiseForm = (fn: Function) => (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const release = ctx.hold();
      realSetTimeout(() => {
        release();
        try {
          resolve(fn(...args));
        } catch (error) {
          reject(error);
        }
      }, 0);
    });

  const names = Object.keys(sync).map((name) => name.slice(0, -4));
  const callbacks: Record<string, Function> = {};
  const promises: Record<string, Function> = {};
  for (const name of names) {
    const fn = (sync as Record<string, Function>)[`${name}Sync`];
    if (name !== 'exists') callbacks[name] = callbackForm(fn);
    promises[name] = promiseForm(fn);
  }
  delete promises.exists;
  // fs.exists passes only a boolean to its callback (its legacy signature).
  callbacks.exists = (p: PathLike, callback: Function) => realSetTimeout(() => ctx.invoke(callback, undefined, [existsSync(p)]), 0);

  const constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128, O_TRUNC: 512, O_APPEND: 1024 };
  const fs = { ...sync, ...callbacks, ...createFsStreams(sync), promises: { ...promises, constants }, constants, Stats, Dirent };
  return fs;
}

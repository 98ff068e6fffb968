// wasi:io/error and wasi:io/streams. The base classes are what the import object hands to jco (it checks `instanceof`
// against them), so every stream the host creates extends them: file streams here, the sandbox's stdio in
// worker-main.ts. Stream errors are thrown as jco lowers them: `{ tag: 'closed' }` or
// `{ tag: 'last-operation-failed', val: IoError }`.
import { fstatSync, readSync, writeSync } from 'node:fs';
import type { DiskQuota } from './disk-quota.js';
import { errorCode, type ErrorCode } from './errors.js';
import { Pollable, readyPollable } from './poll.js';

/** wasi:io/error.error: what failed, and the filesystem error code for `filesystem-error-code`. */
export class IoError {
  constructor(readonly message: string, readonly code?: ErrorCode) {}
  toDebugString(): string {
    return this.message;
  }
}

export type StreamError = { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError };
export const CLOSED: StreamError = Object.freeze({ tag: 'closed' });

/** The stream error for a failed fs call (a non-fs error is rethrown: a trap). */
function failed(operation: string, error: unknown): StreamError {
  const code = errorCode(error);
  return { tag: 'last-operation-failed', val: new IoError(`${operation}: ${code}`, code) };
}

/** The stream error for a refused write: a quota's WASI code (thrown as a string) or a failed fs call. */
function streamError(operation: string, error: unknown): StreamError {
  if (typeof error === 'string') return { tag: 'last-operation-failed', val: new IoError(`${operation}: ${error}`, error as ErrorCode) };
  return failed(operation, error);
}

/** A stream that has nothing: closed for reads. Subclasses override `read` and, if they can wait, `blockingRead`. */
export class InputStream {
  read(_len: bigint): Uint8Array {
    throw CLOSED;
  }
  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }
  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }
  blockingSkip(len: bigint): bigint {
    return BigInt(this.blockingRead(len).length);
  }
  subscribe(): Pollable {
    return readyPollable();
  }
}

/** The largest write `check-write` permits at once. */
const WRITE_BUDGET = 1 << 20;

/**
 * A stream whose writes complete synchronously (so flushes have nothing to wait for). Subclasses override `write`;
 * the rest is expressed with it.
 */
export class OutputStream {
  checkWrite(): bigint {
    return BigInt(WRITE_BUDGET);
  }
  write(_contents: Uint8Array): void {
    throw CLOSED;
  }
  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
  }
  flush(): void {}
  blockingFlush(): void {}
  subscribe(): Pollable {
    return readyPollable();
  }
  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }
  splice(source: InputStream, len: bigint): bigint {
    const chunk = source.read(len);
    this.write(chunk);
    return BigInt(chunk.length);
  }
  blockingSplice(source: InputStream, len: bigint): bigint {
    const chunk = source.blockingRead(len);
    this.write(chunk);
    return BigInt(chunk.length);
  }
}

/** An open host file descriptor shared by a Descriptor and the streams made from it; closed with the last user. */
export class FileHandle {
  #users = 1;
  readonly #fd: number;
  /** The sandbox's file-size limit and disk quota, charged by every write that makes the file larger. */
  readonly quota: DiskQuota;
  /** The file's inode: its bytes stay charged while it is open, also after it was removed. */
  readonly ino: number;
  constructor(fd: number, ino: number, quota: DiskQuota, private readonly close: (handle: FileHandle) => void) {
    this.#fd = fd;
    this.ino = ino;
    this.quota = quota;
  }
  /** The host fd; once closed, `bad-descriptor` (the number may already belong to another file). */
  get fd(): number {
    if (this.#users === 0) throw 'bad-descriptor';
    return this.#fd;
  }
  get closed(): boolean {
    return this.#users === 0;
  }
  retain(): this {
    this.#users++;
    return this;
  }
  release(): void {
    if (this.#users > 0 && --this.#users === 0) this.close(this);
  }
  /** Closes now, whoever still uses it (their calls then fail with bad-descriptor). */
  forceClose(): void {
    if (this.#users > 0) {
      this.#users = 0;
      this.close(this);
    }
  }
  /** For the closer: the fd regardless of state. */
  get rawFd(): number {
    return this.#fd;
  }
}

/** Reads at most this much per call, whatever the guest asks for (it loops). */
const READ_CHUNK = 1 << 20;

export class FileInputStream extends InputStream {
  #file: FileHandle | undefined;
  #offset: number;
  constructor(file: FileHandle, offset: bigint) {
    super();
    this.#file = file.retain();
    this.#offset = Number(offset);
  }
  override read(len: bigint): Uint8Array {
    if (!this.#file) throw CLOSED;
    const want = Math.min(Number(len), READ_CHUNK);
    if (want === 0) return new Uint8Array(0);
    const buffer = Buffer.allocUnsafe(want);
    let n: number;
    try {
      n = readSync(this.#file.fd, buffer, 0, want, this.#offset);
    } catch (error) {
      throw failed('read', error);
    }
    if (n === 0) throw CLOSED;
    this.#offset += n;
    return buffer.subarray(0, n);
  }
  [Symbol.dispose](): void {
    this.#file?.release();
    this.#file = undefined;
  }
}

export class FileOutputStream extends OutputStream {
  #file: FileHandle | undefined;
  /** The next write's position; undefined for an append stream (always at the current end). */
  #offset: number | undefined;
  constructor(file: FileHandle, offset: bigint | undefined) {
    super();
    this.#file = file.retain();
    this.#offset = offset === undefined ? undefined : Number(offset);
  }
  /**
   * At most what the file-size limit and the disk quota leave. A guest that writes through streams (wasi-libc's
   * adapter) then writes a short count, and its next write finds no room when it opens its stream: the error code
   * (file-too-large, insufficient-space) reaches the program as EFBIG / ENOSPC, which a failed stream write cannot
   * carry through the adapter (it reports any stream failure as EIO).
   */
  override checkWrite(): bigint {
    if (!this.#file) throw CLOSED;
    const { fd, quota } = this.#file;
    try {
      const size = fstatSync(fd).size;
      const room = quota.room(size, this.#offset ?? size);
      return BigInt(Math.min(room, WRITE_BUDGET));
    } catch (error) {
      throw streamError('check-write', error);
    }
  }
  override write(contents: Uint8Array): void {
    if (!this.#file) throw CLOSED;
    const { fd, quota } = this.#file;
    let position: number;
    try {
      const size = fstatSync(fd).size;
      position = this.#offset ?? size;
      quota.grow(size, position + contents.length);
    } catch (error) {
      throw streamError('write', error);
    }
    try {
      for (let done = 0; done < contents.length; ) {
        const n = writeSync(fd, contents, done, contents.length - done, position);
        done += n;
        position += n;
      }
      if (this.#offset !== undefined) this.#offset = position;
    } catch (error) {
      throw failed('write', error);
    }
  }
  [Symbol.dispose](): void {
    this.#file?.release();
    this.#file = undefined;
  }
}

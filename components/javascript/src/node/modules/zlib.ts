// `zlib`: deflate/inflate, gzip/gunzip, raw and unzip in the sync, callback and stream forms, over pako (a port of
// zlib; since pako 3 its default hash is the one of Chromium's zlib that Node ships, so compressed bytes equal
// Node's for the same level, window and strategy). Brotli has no port here: its functions throw (README, Known gaps).
import { Buffer } from 'buffer';
import { Transform } from './stream.js';
import { Deflate, Inflate, Z_FINISH, Z_NO_FLUSH, Z_SYNC_FLUSH, type DeflateOptions } from 'pako';
import type { RunContext } from '../context.js';
import { invalidArgType, nodeError } from './errors.js';

export const constants = Object.freeze({
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0,
  DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7,
  Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15,
  Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity, Z_DEFAULT_CHUNK: 16384,
  Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8,
  Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
});

/** Node's error names for zlib's return codes. */
const CODES: Record<number, string> = { 1: 'Z_STREAM_END', 2: 'Z_NEED_DICT', [-1]: 'Z_ERRNO', [-2]: 'Z_STREAM_ERROR', [-3]: 'Z_DATA_ERROR', [-4]: 'Z_MEM_ERROR', [-5]: 'Z_BUF_ERROR' };

interface ZlibOptions {
  level?: number;
  windowBits?: number;
  memLevel?: number;
  strategy?: number;
  dictionary?: ArrayBufferView | ArrayBuffer;
  chunkSize?: number;
  maxOutputLength?: number;
  info?: boolean;
}

type Mode = 'deflate' | 'inflate' | 'gzip' | 'gunzip' | 'deflateRaw' | 'inflateRaw' | 'unzip';

const WINDOW: Record<Mode, (bits: number) => number> = {
  deflate: (bits) => bits,
  inflate: (bits) => bits,
  gzip: (bits) => bits + 16,
  gunzip: (bits) => bits + 16,
  deflateRaw: (bits) => -bits,
  inflateRaw: (bits) => -bits,
  unzip: (bits) => bits + 32, // zlib's automatic gzip-or-zlib header detection
};

function bytesOf(value: unknown): Uint8Array {
  if (typeof value === 'string') return new TextEncoder().encode(value); // the engine's, not the `buffer` package's JS
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw invalidArgType('buffer', 'of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer', value);
}

/** One zlib stream of a mode: bytes in, compressed or decompressed chunks out through `sink`, errors as Node's. */
class Engine {
  private readonly z: Deflate | Inflate;
  private readonly inflating: boolean;
  private produced = 0;

  constructor(mode: Mode, options: ZlibOptions, sink: (chunk: Buffer) => void) {
    this.inflating = /inflate|gunzip|unzip/i.test(mode);
    const settings = {
      windowBits: WINDOW[mode](options.windowBits ?? 15),
      chunkSize: options.chunkSize ?? 16384,
      ...(options.dictionary ? { dictionary: bytesOf(options.dictionary) } : {}),
    };
    this.z = this.inflating
      ? new Inflate(settings)
      : new Deflate({ ...settings, level: options.level ?? -1, memLevel: options.memLevel ?? 8, strategy: (options.strategy ?? 0) as DeflateOptions['strategy'] });
    const limit = options.maxOutputLength ?? 2 ** 32;
    this.z.onData = (chunk) => {
      this.produced += chunk.length;
      if (this.produced > limit) throw nodeError(RangeError, 'ERR_BUFFER_TOO_LARGE', `Cannot create a Buffer larger than ${limit} bytes`);
      sink(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    };
  }

  get ended(): boolean {
    return this.inflating && (this.z as Inflate).ended;
  }

  write(data: Uint8Array, flush: number = Z_NO_FLUSH): void {
    if (this.ended) return; // trailing bytes after the end of the stream are ignored, as zlib does
    this.z.push(data, flush as typeof Z_NO_FLUSH);
    this.check();
  }

  finish(): void {
    if (!this.ended) {
      this.z.push(new Uint8Array(0), Z_FINISH);
      this.check();
    }
    // Input that stops before the end of the compressed stream: Node reports zlib's Z_BUF_ERROR this way.
    if (this.inflating && !this.ended) throw Object.assign(new Error('unexpected end of file'), { errno: -5, code: 'Z_BUF_ERROR' });
  }

  private check(): void {
    const { err, msg } = this.z;
    if (err === 0 || err === 1) return;
    if (err === -5) throw Object.assign(new Error('unexpected end of file'), { errno: -5, code: 'Z_BUF_ERROR' });
    throw Object.assign(new Error(msg || CODES[err]), { errno: err, code: CODES[err] });
  }
}

function processSync(mode: Mode, input: unknown, options: ZlibOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  const engine = new Engine(mode, options, (chunk) => chunks.push(chunk));
  engine.write(bytesOf(input));
  engine.finish();
  return Buffer.concat(chunks);
}

/** createGzip() and friends: Transform streams as Node's zlib streams are. */
class ZlibStream extends Transform {
  bytesWritten = 0;
  private readonly engine: Engine;
  constructor(mode: Mode, options: ZlibOptions = {}) {
    super(options as object);
    this.engine = new Engine(mode, options, (chunk) => this.push(chunk));
  }
  _transform(chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    try {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : bytesOf(chunk);
      this.bytesWritten += bytes.length;
      this.engine.write(bytes);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
  _flush(callback: (error?: Error | null) => void) {
    try {
      this.engine.finish();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
  /** Pushes out what was written so far (Z_SYNC_FLUSH), as Node's zlib stream `flush()`. */
  flush(callback?: () => void) {
    this.engine.write(new Uint8Array(0), Z_SYNC_FLUSH);
    if (callback) queueMicrotask(callback);
  }
  close(callback?: () => void) {
    if (callback) this.once('close', callback);
    this.destroy();
  }
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** zlib.crc32 (Node 22.2+): the gzip CRC-32 of data, continuing from `value`. */
function crc32(data: unknown, value = 0): number {
  let crc = ~value >>> 0;
  for (const byte of bytesOf(data)) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const MODES: [Mode, string][] = [
  ['deflate', 'Deflate'], ['inflate', 'Inflate'], ['gzip', 'Gzip'], ['gunzip', 'Gunzip'],
  ['deflateRaw', 'DeflateRaw'], ['inflateRaw', 'InflateRaw'], ['unzip', 'Unzip'],
];

const BROTLI = ['brotliCompress', 'brotliDecompress', 'brotliCompressSync', 'brotliDecompressSync', 'createBrotliCompress', 'createBrotliDecompress'];

export function createZlib(ctx: RunContext) {
  const zlib: Record<string, unknown> = { constants, crc32, ...constants };
  for (const [mode, className] of MODES) {
    zlib[`${mode}Sync`] = (input: unknown, options?: ZlibOptions) => processSync(mode, input, options);
    zlib[mode] = (input: unknown, options?: unknown, callback?: unknown) => {
      if (typeof options === 'function') [options, callback] = [{}, options];
      if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
      let result: Buffer;
      try {
        result = processSync(mode, input, options as ZlibOptions);
      } catch (error) {
        ctx.setTimer(callback, 0, [error], false);
        return;
      }
      ctx.setTimer(callback, 0, [null, result], false);
    };
    const StreamClass = { [className]: class extends ZlibStream {
      constructor(options?: ZlibOptions) {
        super(mode, options);
      }
    } }[className];
    zlib[className] = StreamClass;
    zlib[`create${className}`] = (options?: ZlibOptions) => new StreamClass(options);
  }
  for (const name of BROTLI) {
    zlib[name] = () => {
      throw nodeError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', `zlib.${name} is not available in this sandbox: it has no Brotli implementation`);
    };
  }
  return zlib;
}

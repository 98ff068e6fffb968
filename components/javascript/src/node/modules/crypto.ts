// `crypto`: Node's hashing, HMAC, key derivation and randomness over @noble/hashes (audited, pure JavaScript: the
// engine's WebCrypto is asynchronous only, Node's createHash is synchronous). Ciphers, signatures and key objects are
// not here (README, Known gaps); `webcrypto` / `subtle` are the engine's own.
import { Buffer } from 'buffer';
import { Transform } from './stream.js';
import { hmac } from '@noble/hashes/hmac.js';
import { md5, ripemd160, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512 } from '@noble/hashes/sha3.js';
import type { CHash, Hash } from '@noble/hashes/utils.js';
import type { RunContext } from '../context.js';
import { invalidArgType, nodeError } from './errors.js';

type NobleHash = CHash;
type HashState = Hash<any>;

/** Node's (OpenSSL's) digest names, lower-cased, for the algorithms we have. */
const HASHES: Record<string, NobleHash> = {
  md5, 'rsa-md5': md5,
  sha1, 'sha-1': sha1, 'rsa-sha1': sha1,
  sha224, 'sha-224': sha224, 'rsa-sha224': sha224,
  sha256, 'sha-256': sha256, 'rsa-sha256': sha256,
  sha384, 'sha-384': sha384, 'rsa-sha384': sha384,
  sha512, 'sha-512': sha512, 'rsa-sha512': sha512,
  'sha512-224': sha512_224, 'sha-512/224': sha512_224,
  'sha512-256': sha512_256, 'sha-512/256': sha512_256,
  'sha3-224': sha3_224, 'sha3-256': sha3_256, 'sha3-384': sha3_384, 'sha3-512': sha3_512,
  ripemd160, rmd160: ripemd160, 'ripemd-160': ripemd160,
};

const lookup = (algorithm: unknown): NobleHash | undefined => (typeof algorithm === 'string' ? HASHES[algorithm.toLowerCase()] : undefined);

// The engine's encoder: the bundled `buffer` package encodes UTF-8 in JavaScript, ~7 µs a character here.
const utf8 = new TextEncoder();
const isUtf8 = (encoding: unknown) => encoding === undefined || encoding === null || /^utf-?8$/i.test(String(encoding));

/** What Node accepts as data: a string in an encoding (utf8 by default), a Buffer, TypedArray or DataView. */
function bytesOf(data: unknown, encoding: unknown, name = 'data'): Uint8Array {
  if (typeof data === 'string') return isUtf8(encoding) ? utf8.encode(data) : Buffer.from(data, encoding as BufferEncoding);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw invalidArgType(name, 'of type string or an instance of Buffer, TypedArray, or DataView', data);
}

function keyBytes(key: unknown): Uint8Array {
  if (key instanceof ArrayBuffer) return new Uint8Array(key);
  return bytesOf(key, 'utf8', 'key');
}

const output = (digest: Uint8Array, encoding: unknown) => {
  const buffer = Buffer.from(digest.buffer as ArrayBuffer, digest.byteOffset, digest.byteLength);
  if (encoding === undefined || encoding === 'buffer') return buffer;
  // The bundled `buffer` package (6.0.3) predates base64url.
  if (encoding === 'base64url') return buffer.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return buffer.toString(encoding as BufferEncoding);
};

/** createHash / createHmac objects: update/digest, and a Transform (hash.end(data); hash.read()) as in Node. */
class Digest extends Transform {
  private finalized = false;
  constructor(private readonly state: HashState) {
    super();
  }
  update(data: unknown, encoding?: unknown): this {
    if (this.finalized) throw nodeError(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
    this.state.update(bytesOf(data, encoding));
    return this;
  }
  digest(encoding?: unknown): Buffer | string {
    if (this.finalized) throw nodeError(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
    this.finalized = true;
    return output(this.state.digest(), encoding);
  }
  _transform(chunk: unknown, encoding: unknown, callback: (error?: Error | null) => void) {
    this.update(chunk, encoding);
    callback();
  }
  _flush(callback: (error?: Error | null) => void) {
    this.push(this.digest());
    callback();
  }
}

class NodeHash extends Digest {
  constructor(private readonly hashState: HashState) {
    super(hashState);
  }
  copy(): NodeHash {
    return new NodeHash(this.hashState.clone());
  }
}

function createHash(algorithm: string): NodeHash {
  const hash = lookup(algorithm);
  if (!hash) throw new Error('Digest method not supported');
  return new NodeHash(hash.create());
}

function createHmac(algorithm: string, key: unknown): Digest {
  const hash = lookup(algorithm);
  if (!hash) throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${algorithm}`);
  return new Digest(hmac.create(hash, keyBytes(key)) as unknown as HashState);
}

function randomBytes(size: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0 || size > 2 ** 31 - 1) {
    throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "size" is out of range. It must be >= 0 && <= 2147483647. Received ${size}`);
  }
  const bytes = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += 65536) crypto.getRandomValues(bytes.subarray(offset, offset + 65536));
  return bytes;
}

/** A uniform integer in [min, max) without modulo bias: 48 random bits, redrawn above the last whole multiple. */
function randomIntSync(min: number, max: number): number {
  for (const [name, value] of [['min', min], ['max', max]] as const) {
    if (!Number.isSafeInteger(value)) throw invalidArgType(name, 'a safe integer', value);
  }
  if (max <= min) {
    throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "max" is out of range. It must be greater than the value of "min" (${min}). Received ${max}`);
  }
  const range = max - min;
  if (range > 2 ** 48) {
    throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "max - min" is out of range. It must be <= 281474976710655. Received ${range}`);
  }
  const limit = 2 ** 48 - (2 ** 48 % range);
  for (;;) {
    const b = crypto.getRandomValues(new Uint8Array(6));
    const n = b[0] * 2 ** 40 + b[1] * 2 ** 32 + b[2] * 2 ** 24 + b[3] * 2 ** 16 + b[4] * 2 ** 8 + b[5];
    if (n < limit) return min + (n % range);
  }
}

export function createCrypto(ctx: RunContext) {
  /** Node's asynchronous forms: the work is done now, the callback runs on a later turn of the event loop. */
  const later = <T>(callback: unknown, work: () => T) => {
    if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
    let result: T;
    try {
      result = work();
    } catch (error) {
      ctx.setTimer(callback, 0, [error], false);
      return;
    }
    ctx.setTimer(callback, 0, [null, result], false);
  };
  const pbkdf2Sync = (password: unknown, salt: unknown, iterations: number, keylen: number, digest: string) => {
    const hash = lookup(digest);
    if (!hash) throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${digest}`);
    return output(pbkdf2(hash, keyBytes(password), keyBytes(salt), { c: iterations, dkLen: keylen }), undefined);
  };
  const scryptSync = (password: unknown, salt: unknown, keylen: number, options: { N?: number; r?: number; p?: number; cost?: number; blockSize?: number; parallelization?: number } = {}) =>
    output(
      scrypt(keyBytes(password), keyBytes(salt), {
        N: options.N ?? options.cost ?? 16384,
        r: options.r ?? options.blockSize ?? 8,
        p: options.p ?? options.parallelization ?? 1,
        dkLen: keylen,
      }),
      undefined,
    );
  return {
    createHash,
    createHmac,
    Hash: NodeHash,
    Hmac: Digest,
    hash: (algorithm: string, data: unknown, outputEncoding: unknown = 'hex') => createHash(algorithm).update(data).digest(outputEncoding),
    getHashes: () => Object.keys(HASHES).sort(),
    pbkdf2Sync,
    pbkdf2: (password: unknown, salt: unknown, iterations: number, keylen: number, digest: string, callback: unknown) =>
      later(callback, () => pbkdf2Sync(password, salt, iterations, keylen, digest)),
    scryptSync,
    scrypt: (password: unknown, salt: unknown, keylen: number, options: unknown, callback?: unknown) => {
      if (typeof options === 'function') [options, callback] = [{}, options];
      later(callback, () => scryptSync(password, salt, keylen, options as object));
    },
    randomBytes: (size: number, callback?: unknown) => (callback === undefined ? randomBytes(size) : later(callback, () => randomBytes(size))),
    pseudoRandomBytes: randomBytes,
    randomFillSync: <T extends ArrayBufferView>(buffer: T, offset = 0, size?: number) => {
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      bytes.set(randomBytes(size ?? bytes.length - offset), offset);
      return buffer;
    },
    randomInt: (min: number, max?: unknown, callback?: unknown) => {
      if (typeof max === 'function' || max === undefined) [min, max, callback] = [0, min, max];
      return callback === undefined ? randomIntSync(min, max as number) : later(callback, () => randomIntSync(min, max as number));
    },
    randomUUID: () => crypto.randomUUID(),
    getRandomValues: <T extends ArrayBufferView>(array: T) => crypto.getRandomValues(array as any),
    timingSafeEqual: (a: unknown, b: unknown) => {
      const x = bytesOf(a, undefined, 'buf1');
      const y = bytesOf(b, undefined, 'buf2');
      if (x.length !== y.length) throw nodeError(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length');
      let difference = 0;
      for (let i = 0; i < x.length; i++) difference |= x[i] ^ y[i];
      return difference === 0;
    },
    webcrypto: globalThis.crypto,
    subtle: globalThis.crypto.subtle,
    constants: {},
  };
}

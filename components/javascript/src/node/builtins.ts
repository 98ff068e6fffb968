// The Node builtin modules a sandboxed program can load. Each run gets fresh module objects, so a program that
// patches `fs` or `util` cannot affect the next run. Modules that would reach outside the sandbox (child_process,
// net, http, ...) are absent, and requiring them fails with Node's own "Cannot find module" error.
import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import posix from 'path-browserify';
import type { RunContext } from './context.js';
import { createFs } from './fs.js';
import { format, inspect } from './inspect.js';
import { createReadline } from './readline.js';

/**
 * What the `module` builtin needs from the module loader (its `createRequire`). The loader passes itself in, so this
 * module does not depend on the loader (which depends on this one for the builtins).
 */
export interface Requirer {
  require(specifier: string, parent: string): unknown;
}

type Factory = (ctx: RunContext, loader: Requirer) => unknown;

const FACTORIES: Record<string, Factory> = {
  fs: (ctx) => createFs(ctx),
  'fs/promises': (ctx, loader) => (builtinModule('fs', ctx, loader) as { promises: unknown }).promises,
  path: () => pathModule(),
  'path/posix': () => pathModule(),
  util: () => utilModule(),
  events: () => eventsModule(),
  buffer: () => ({ Buffer, constants: { MAX_LENGTH: 2 ** 31 - 1 }, kMaxLength: 2 ** 31 - 1, Blob, atob, btoa }),
  string_decoder: () => ({ StringDecoder }),
  os: () => osModule(),
  assert: () => assertModule(),
  'assert/strict': () => assertModule(),
  readline: (ctx) => createReadline(ctx),
  url: () => ({ URL, URLSearchParams, fileURLToPath, pathToFileURL, format: (u: URL) => String(u) }),
  crypto: () => cryptoModule(),
  timers: () => ({ setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, setInterval: globalThis.setInterval, clearInterval: globalThis.clearInterval, setImmediate: (globalThis as any).setImmediate, clearImmediate: (globalThis as any).clearImmediate }),
  'timers/promises': () => ({
    setTimeout: (ms: number, value?: unknown) => new Promise((resolve) => globalThis.setTimeout(() => resolve(value), ms)),
    setImmediate: (value?: unknown) => new Promise((resolve) => globalThis.setTimeout(() => resolve(value), 0)),
  }),
  process: () => (globalThis as any).process,
  console: () => globalThis.console,
  module: (ctx, loader) => ({ builtinModules: Object.keys(FACTORIES), createRequire: (from: string) => (s: string) => loader.require(s, String(from).replace(/^file:\/\//, '')), isBuiltin }),
  querystring: () => ({
    parse: (s: string) => Object.fromEntries(new URLSearchParams(s)),
    stringify: (o: Record<string, string>) => new URLSearchParams(o).toString(),
    escape: encodeURIComponent,
    unescape: decodeURIComponent,
  }),
};

export function isBuiltin(specifier: string): boolean {
  return Object.hasOwn(FACTORIES, specifier.startsWith('node:') ? specifier.slice(5) : specifier);
}

const instances = new WeakMap<RunContext, Map<string, unknown>>();

export function builtinModule(name: string, ctx: RunContext, loader: Requirer): unknown {
  let modules = instances.get(ctx);
  if (!modules) instances.set(ctx, (modules = new Map()));
  if (!modules.has(name)) modules.set(name, FACTORIES[name](ctx, loader));
  return modules.get(name);
}

function pathModule() {
  const path = { ...posix, posix: undefined as unknown, win32: undefined, toNamespacedPath: (p: string) => p, matchesGlob: undefined };
  path.posix = path;
  return path;
}

function fileURLToPath(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'file:') throw Object.assign(new TypeError('The URL must be of scheme file'), { code: 'ERR_INVALID_URL_SCHEME' });
  return decodeURIComponent(u.pathname);
}

function pathToFileURL(path: string): URL {
  return new URL(`file://${encodeURI(posix.resolve(path))}`);
}

function utilModule() {
  const types = {
    isPromise: (v: unknown) => v instanceof Promise,
    isRegExp: (v: unknown) => v instanceof RegExp,
    isDate: (v: unknown) => v instanceof Date,
    isMap: (v: unknown) => v instanceof Map,
    isSet: (v: unknown) => v instanceof Set,
    isTypedArray: (v: unknown) => ArrayBuffer.isView(v) && !(v instanceof DataView),
    isUint8Array: (v: unknown) => v instanceof Uint8Array,
    isNativeError: (v: unknown) => v instanceof Error,
    isAsyncFunction: (v: unknown) => typeof v === 'function' && v.constructor?.name === 'AsyncFunction',
    isGeneratorFunction: (v: unknown) => typeof v === 'function' && /GeneratorFunction/.test(v.constructor?.name ?? ''),
  };
  return {
    inspect,
    format,
    formatWithOptions: (_options: object, ...args: unknown[]) => format(...args),
    types,
    isDeepStrictEqual: (a: unknown, b: unknown) => deepEqual(a, b, true),
    promisify: (fn: Function) =>
      (...args: unknown[]) =>
        new Promise((resolve, reject) => fn(...args, (error: unknown, value: unknown) => (error ? reject(error) : resolve(value)))),
    callbackify: (fn: Function) =>
      (...args: unknown[]) => {
        const callback = args.pop() as Function;
        fn(...args).then((value: unknown) => callback(null, value), (error: unknown) => callback(error));
      },
    inherits: (ctor: Function, superCtor: Function) => {
      Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
      Object.setPrototypeOf(ctor, superCtor);
    },
    deprecate: (fn: Function) => fn,
    isArray: Array.isArray,
    TextEncoder,
    TextDecoder,
    stripVTControlCharacters: (s: string) => s.replace(/\x1b\[[0-9;]*m/g, ''),
    styleText: (_style: unknown, text: string) => text,
  };
}

function eventsModule() {
  const events = EventEmitter as unknown as Record<string, unknown>;
  events.EventEmitter = EventEmitter;
  events.once = (emitter: EventEmitter, name: string) => new Promise((resolve) => emitter.once(name, (...args: unknown[]) => resolve(args)));
  return events;
}

class StringDecoder {
  private readonly decoder: TextDecoder | undefined;
  constructor(private readonly encoding = 'utf8') {
    if (/^utf-?8$/i.test(encoding)) this.decoder = new TextDecoder();
  }
  write(buffer: Uint8Array) {
    return this.decoder ? this.decoder.decode(buffer, { stream: true }) : Buffer.from(buffer).toString(this.encoding as BufferEncoding);
  }
  end(buffer?: Uint8Array) {
    return (buffer ? this.write(buffer) : '') + (this.decoder ? this.decoder.decode() : '');
  }
}

function osModule() {
  return {
    EOL: '\n',
    platform: () => 'linux',
    type: () => 'Linux',
    arch: () => 'wasm32',
    release: () => '0.0.0',
    hostname: () => 'sandbox',
    homedir: () => '/home/sandbox',
    tmpdir: () => '/tmp',
    cpus: () => [{ model: 'wasm', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }],
    availableParallelism: () => 1,
    totalmem: () => 0,
    freemem: () => 0,
    uptime: () => 0,
    loadavg: () => [0, 0, 0],
    networkInterfaces: () => ({}),
    userInfo: () => ({ username: 'sandbox', uid: 0, gid: 0, shell: null, homedir: '/home/sandbox' }),
    endianness: () => 'LE',
  };
}

function cryptoModule() {
  return {
    randomUUID: () => crypto.randomUUID(),
    getRandomValues: <T extends ArrayBufferView>(array: T) => crypto.getRandomValues(array as any),
    randomBytes: (size: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(size))),
    randomInt: (min: number, max?: number) => {
      if (max === undefined) [min, max] = [0, min];
      return min + Math.floor((crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32) * (max - min));
    },
    webcrypto: crypto,
    subtle: crypto.subtle,
  };
}

// ------------------------------------------------------------------------------------------------------------------
// assert

class AssertionError extends Error {
  code = 'ERR_ASSERTION';
  constructor(
    message: string,
    readonly actual?: unknown,
    readonly expected?: unknown,
    readonly operator?: string,
  ) {
    super(message);
    this.name = 'AssertionError';
  }
}

function deepEqual(a: unknown, b: unknown, strict: boolean, seen = new Map<unknown, unknown>()): boolean {
  if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp && b instanceof RegExp) return String(a) === String(b);
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([k, v]) => b.has(k) && deepEqual(v, b.get(k), strict, seen));
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((v) => b.has(v));
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) return Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).equals(Buffer.from(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as any)[k], (b as any)[k], strict, seen));
}

function assertModule() {
  const fail = (message: unknown, fallback: string, actual?: unknown, expected?: unknown, operator?: string): never => {
    if (message instanceof Error) throw message;
    throw new AssertionError(typeof message === 'string' ? message : fallback, actual, expected, operator);
  };
  const compare = (ok: boolean, actual: unknown, expected: unknown, operator: string, message: unknown, describe: string) => {
    if (!ok) fail(message, `${describe}:\n\n${inspect(actual)}\n\nshould ${operator.includes('not') ? 'not ' : ''}equal\n\n${inspect(expected)}\n`, actual, expected, operator);
  };
  const assert = (value: unknown, message?: unknown) => {
    if (!value) fail(message, `The expression evaluated to a falsy value:\n\n  assert(${inspect(value)})\n`, value, true, '==');
  };
  const throwsCheck = (error: unknown, expected: unknown, message: unknown) => {
    if (expected === undefined) return;
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && error instanceof (expected as any)) return;
      if (Error.isPrototypeOf(expected)) fail(message, `The error is expected to be an instance of "${(expected as Function).name}"`, error, expected, 'throws');
      if ((expected as Function)(error) === true) return;
      fail(message, 'The validation function is expected to return "true"', error, expected, 'throws');
    }
    if (expected instanceof RegExp) {
      if (expected.test(String(error))) return;
      fail(message, `The input did not match the regular expression ${expected}. Input:\n\n${inspect(String(error))}\n`, error, expected, 'throws');
    }
    if (typeof expected === 'object' && expected) {
      for (const [key, value] of Object.entries(expected)) {
        const actual = (error as any)?.[key];
        if (value instanceof RegExp ? !value.test(actual) : !deepEqual(actual, value, true)) fail(message, `Expected values to be strictly deep-equal (${key})`, actual, value, 'throws');
      }
    }
  };
  Object.assign(assert, {
    ok: assert,
    AssertionError,
    fail: (message?: unknown) => fail(message, 'Failed'),
    equal: (a: unknown, b: unknown, m?: unknown) => compare(a == b || (a !== a && b !== b), a, b, '==', m, 'Expected values to be loosely equal'),
    notEqual: (a: unknown, b: unknown, m?: unknown) => compare(a != b, a, b, '!=', m, 'Expected "actual" to be loosely unequal to'),
    strictEqual: (a: unknown, b: unknown, m?: unknown) => compare(Object.is(a, b), a, b, 'strictEqual', m, 'Expected values to be strictly equal'),
    notStrictEqual: (a: unknown, b: unknown, m?: unknown) => compare(!Object.is(a, b), a, b, 'notStrictEqual', m, 'Expected "actual" to be strictly unequal to'),
    deepEqual: (a: unknown, b: unknown, m?: unknown) => compare(deepEqual(a, b, false), a, b, 'deepEqual', m, 'Expected values to be loosely deep-equal'),
    deepStrictEqual: (a: unknown, b: unknown, m?: unknown) => compare(deepEqual(a, b, true), a, b, 'deepStrictEqual', m, 'Expected values to be strictly deep-equal'),
    notDeepStrictEqual: (a: unknown, b: unknown, m?: unknown) => compare(!deepEqual(a, b, true), a, b, 'notDeepStrictEqual', m, 'Expected "actual" not to be strictly deep-equal to'),
    throws: (fn: Function, expected?: unknown, message?: unknown) => {
      try {
        fn();
      } catch (error) {
        return throwsCheck(error, expected, message);
      }
      fail(typeof expected === 'string' ? expected : message, 'Missing expected exception.', undefined, expected, 'throws');
    },
    doesNotThrow: (fn: Function, message?: unknown) => {
      try {
        fn();
      } catch (error) {
        fail(message, `Got unwanted exception.\nActual message: "${(error as Error)?.message}"`, error, undefined, 'doesNotThrow');
      }
    },
    rejects: async (promise: unknown, expected?: unknown, message?: unknown) => {
      try {
        await (typeof promise === 'function' ? promise() : promise);
      } catch (error) {
        return throwsCheck(error, expected, message);
      }
      fail(message, 'Missing expected rejection.', undefined, expected, 'rejects');
    },
    match: (s: string, re: RegExp, m?: unknown) => {
      if (!re.test(s)) fail(m, `The input did not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`, s, re, 'match');
    },
  });
  (assert as any).strict = assert;
  return assert;
}

// The Node builtin modules a sandboxed program can load. Each run gets fresh module objects, so a program that
// patches `fs` or `util` cannot affect the next run. Modules that would reach outside the sandbox (child_process,
// net, http, ...) are absent, and requiring them fails with Node's own "Cannot find module" error.
import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import posix from 'path-browserify';
import type { RunContext } from './context.js';
import { createFs } from './fs.js';
import { createReadline } from './readline.js';
import { createAssert } from './modules/assert.js';
import { createCrypto } from './modules/crypto.js';
import { createPerfHooks } from './modules/perf-hooks.js';
import { createQuerystring } from './modules/querystring.js';
import { stream, streamPromises } from './modules/stream.js';
import { createUtil } from './modules/util.js';
import { createZlib } from './modules/zlib.js';
import { StringDecoder } from 'string_decoder/lib/string_decoder.js';

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
  util: (ctx) => createUtil(ctx),
  'util/types': (ctx, loader) => (builtinModule('util', ctx, loader) as { types: unknown }).types,
  events: () => eventsModule(),
  buffer: () => ({ Buffer, constants: { MAX_LENGTH: 2 ** 31 - 1 }, kMaxLength: 2 ** 31 - 1, Blob, atob, btoa }),
  string_decoder: () => ({ StringDecoder }),
  os: () => osModule(),
  assert: (ctx, loader) => (builtinModule('assert/both', ctx, loader) as ReturnType<typeof createAssert>).assert,
  'assert/strict': (ctx, loader) => (builtinModule('assert/both', ctx, loader) as ReturnType<typeof createAssert>).strict,
  readline: (ctx) => createReadline(ctx),
  url: () => ({ URL, URLSearchParams, fileURLToPath, pathToFileURL, format: (u: URL) => String(u) }),
  crypto: (ctx) => createCrypto(ctx),
  zlib: (ctx) => createZlib(ctx),
  // The stream classes are the library's own (shared by every run; each run's memory is restored afterwards).
  stream: () => stream,
  'stream/promises': () => streamPromises(),
  'stream/web': () => Object.fromEntries(
    ['ReadableStream', 'WritableStream', 'TransformStream', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy', 'TextEncoderStream', 'TextDecoderStream', 'CompressionStream', 'DecompressionStream']
      .map((name) => [name, (globalThis as Record<string, unknown>)[name]]),
  ),
  perf_hooks: () => createPerfHooks(),
  timers: () => ({ setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, setInterval: globalThis.setInterval, clearInterval: globalThis.clearInterval, setImmediate: (globalThis as any).setImmediate, clearImmediate: (globalThis as any).clearImmediate }),
  'timers/promises': () => ({
    setTimeout: (ms: number, value?: unknown) => new Promise((resolve) => globalThis.setTimeout(() => resolve(value), ms)),
    setImmediate: (value?: unknown) => new Promise((resolve) => globalThis.setTimeout(() => resolve(value), 0)),
  }),
  process: () => (globalThis as any).process,
  console: () => globalThis.console,
  module: (ctx, loader) => ({ builtinModules: Object.keys(FACTORIES), createRequire: (from: string) => (s: string) => loader.require(s, String(from).replace(/^file:\/\//, '')), isBuiltin }),
  querystring: () => createQuerystring(),
};

/** Not a module name: the pair of `assert` and `assert/strict`, made together so each can name the other. */
const INTERNAL: Record<string, Factory> = { 'assert/both': () => createAssert() };

export function isBuiltin(specifier: string): boolean {
  return Object.hasOwn(FACTORIES, specifier.startsWith('node:') ? specifier.slice(5) : specifier);
}

const instances = new WeakMap<RunContext, Map<string, unknown>>();

export function builtinModule(name: string, ctx: RunContext, loader: Requirer): unknown {
  let modules = instances.get(ctx);
  if (!modules) instances.set(ctx, (modules = new Map()));
  if (!modules.has(name)) modules.set(name, (FACTORIES[name] ?? INTERNAL[name])(ctx, loader));
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

function eventsModule() {
  const events = EventEmitter as unknown as Record<string, unknown>;
  events.EventEmitter = EventEmitter;
  events.once = (emitter: EventEmitter, name: string) => new Promise((resolve) => emitter.once(name, (...args: unknown[]) => resolve(args)));
  return events;
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

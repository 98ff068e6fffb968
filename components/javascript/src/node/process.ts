// `process`, `console` and the stdio streams of one run, behaving as Node's do for programs.
import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import type { OutputSink } from '../output.js';
import { now, realQueueMicrotask, realSetTimeout } from '../intrinsics.js';
import type { RunContext } from './context.js';
import { format, inspect } from './inspect.js';

const NODE_VERSION = 'v22.12.0';

/** process.stdout / process.stderr: synchronous writable streams over the run's output sinks. */
export function createWritable(ctx: RunContext, sink: OutputSink, fd: number) {
  const stream = new EventEmitter() as EventEmitter & Record<string, unknown>;
  Object.assign(stream, {
    fd,
    isTTY: false,
    writable: true,
    columns: undefined,
    write(chunk: unknown, encoding?: unknown, callback?: unknown) {
      if (typeof encoding === 'function') callback = encoding;
      if (!ctx.stopped) {
        if (typeof chunk === 'string') sink.write(chunk);
        else if (chunk instanceof Uint8Array) sink.write(chunk);
        else {
          throw Object.assign(new TypeError(`The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ${inspect(chunk)}`), { code: 'ERR_INVALID_ARG_TYPE' });
        }
      }
      if (typeof callback === 'function') realQueueMicrotask(() => ctx.invoke(callback as Function, undefined, []));
      return true;
    },
    end(chunk?: unknown, encoding?: unknown, callback?: unknown) {
      if (typeof chunk === 'function') [chunk, callback] = [undefined, chunk];
      if (typeof encoding === 'function') callback = encoding;
      if (chunk !== undefined && chunk !== null) (stream.write as Function)(chunk);
      // Node's stdio streams finish but stay open, so a pipeline that ends in process.stdout settles.
      if (!stream.writableFinished) {
        stream.writableEnded = stream.writableFinished = true;
        realQueueMicrotask(() => ctx.invoke(() => stream.emit('finish'), undefined, []));
      }
      if (typeof callback === 'function') realQueueMicrotask(() => ctx.invoke(callback as Function, undefined, []));
      return stream;
    },
    writableEnded: false,
    writableFinished: false,
    cork() {},
    uncork() {},
    getColorDepth: () => 1,
    hasColors: () => false,
  });
  return stream;
}

/** process.stdin: a paused readable that flows once the program listens for 'data' / 'readable' or iterates it. */
export function createReadable(ctx: RunContext) {
  const stream = new EventEmitter() as EventEmitter & Record<string | symbol, any>;
  let encoding: string | undefined;
  let flowing = false;
  let ended = false;
  let release: (() => void) | undefined;

  const decode = (bytes: Uint8Array) => (encoding ? Buffer.from(bytes).toString(encoding as BufferEncoding) : Buffer.from(bytes));

  const pump = () => {
    if (!flowing || ended || ctx.stopped) return;
    const chunk = ctx.request.stdin.poll();
    if (chunk === undefined) {
      realSetTimeout(pump, 5); // live stdin with nothing yet: look again without blocking timers
      return;
    }
    if (chunk === null) {
      ended = true;
      release?.();
      realQueueMicrotask(() => {
        stream.emit('end');
        stream.emit('close');
      });
      return;
    }
    ctx.invoke(() => stream.emit('data', decode(chunk)), undefined, []);
    realSetTimeout(pump, 0);
  };

  const start = () => {
    if (flowing || ended) return;
    flowing = true;
    release ??= ctx.hold();
    realSetTimeout(pump, 0);
  };

  stream.on('newListener', (event: string) => {
    if (event === 'data') start();
    if (event === 'readable') start();
  });
  Object.assign(stream, {
    fd: 0,
    isTTY: false,
    readable: true,
    setEncoding(enc: string) {
      encoding = enc;
      return stream;
    },
    resume() {
      start();
      return stream;
    },
    pause() {
      flowing = false;
      return stream;
    },
    read() {
      return null; // data is delivered through 'data' events only
    },
    setRawMode() {
      return stream;
    },
    unref() {
      release?.();
      return stream;
    },
    ref() {
      return stream;
    },
    destroy() {
      flowing = false;
      ended = true;
      release?.();
    },
    pipe(destination: { write(chunk: unknown): void; end?(): void }) {
      stream.on('data', (chunk: unknown) => destination.write(chunk));
      stream.on('end', () => destination.end?.());
      return destination;
    },
    [Symbol.asyncIterator]() {
      const queue: unknown[] = [];
      let waiting: ((result: IteratorResult<unknown>) => void) | undefined;
      let done = false;
      stream.on('data', (chunk: unknown) => {
        if (waiting) (waiting({ value: chunk, done: false }), (waiting = undefined));
        else queue.push(chunk);
      });
      stream.on('end', () => {
        done = true;
        waiting?.({ value: undefined, done: true });
      });
      return {
        next: () =>
          queue.length ? Promise.resolve({ value: queue.shift(), done: false }) : done ? Promise.resolve({ value: undefined, done: true }) : new Promise((resolve) => (waiting = resolve)),
        return: () => Promise.resolve({ value: undefined, done: true }),
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  });
  return stream;
}

/** How Node's ERR_INVALID_ARG_TYPE describes a value it refuses, without calling any of the value's own code. */
function received(value: unknown): string {
  if (typeof value === 'function') return `function ${(value as Function).name || '<anonymous>'}`;
  if (typeof value === 'object' && value !== null) return 'an instance of Object';
  if (typeof value === 'bigint') return `type bigint (${value}n)`;
  return `type ${typeof value} (${String(value)})`;
}

/**
 * An exit code as Node's `process.exitCode` setter checks it (lib/internal/bootstrap/node.js): undefined, null, an
 * integer or a string holding one; anything else throws where it is assigned. So the value the run's result reads
 * later is plain data: an object with a hostile `valueOf` never reaches the guest's own code (issue 14).
 */
function checkedExitCode(code: unknown): unknown {
  if (code === undefined || code === null) return code;
  if (typeof code === 'string' && code !== '' && Number.isInteger(+code)) return code;
  if (typeof code !== 'number') {
    throw Object.assign(new TypeError(`The "code" argument must be of type number. Received ${received(code)}`), { code: 'ERR_INVALID_ARG_TYPE' });
  }
  if (!Number.isInteger(code)) {
    throw Object.assign(new RangeError(`The value of "code" is out of range. It must be an integer. Received ${code}`), { code: 'ERR_OUT_OF_RANGE' });
  }
  return code;
}

export function createProcess(ctx: RunContext, entryPath: string) {
  const process = new EventEmitter() as EventEmitter & Record<string, any>;
  const stdout = createWritable(ctx, ctx.stdout, 1);
  const stderr = createWritable(ctx, ctx.stderr, 2);
  let stdin: ReturnType<typeof createReadable> | undefined;
  let exitCode: unknown;
  const started = now();
  let warned = false;
  const env = Object.assign(Object.create(null), Object.fromEntries(ctx.request.env));

  Object.assign(process, {
    title: 'node',
    version: NODE_VERSION,
    versions: { node: NODE_VERSION.slice(1), v8: '0.0', uv: '0.0', modules: '127' },
    arch: 'wasm32',
    platform: 'linux',
    release: { name: 'node' },
    argv: ['node', entryPath, ...ctx.request.args],
    argv0: 'node',
    execArgv: [],
    execPath: '/usr/local/bin/node',
    env,
    pid: 1,
    ppid: 0,
    stdout,
    stderr,
    cwd: () => ctx.cwdPath,
    chdir: () => {
      throw Object.assign(new Error('process.chdir() is not supported in workers'), { code: 'ERR_WORKER_UNSUPPORTED_OPERATION' });
    },
    exit: (code?: unknown) => {
      if (code !== undefined) exitCode = checkedExitCode(code);
      return ctx.exit(Number(exitCode ?? 0) | 0);
    },
    abort: () => ctx.exit(134),
    kill: () => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM', syscall: 'kill' });
    },
    nextTick: (fn: Function, ...args: unknown[]) => ctx.nextTick(fn, args),
    hrtime: Object.assign(
      (prev?: [number, number]) => {
        const ns = BigInt(Math.round(now() * 1e6));
        const s = Number(ns / 1000000000n);
        const n = Number(ns % 1000000000n);
        if (!prev) return [s, n];
        let ds = s - prev[0];
        let dn = n - prev[1];
        if (dn < 0) (ds--, (dn += 1e9));
        return [ds, dn];
      },
      { bigint: () => BigInt(Math.round(now() * 1e6)) },
    ),
    uptime: () => (now() - started) / 1000,
    memoryUsage: Object.assign(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => 0 }),
    cpuUsage: () => ({ user: Math.round((now() - started) * 1000), system: 0 }),
    emitWarning: (warning: unknown, type?: unknown, code?: unknown) => {
      // Node's forms: (message, type, code) or (message, { type, code }); the first warning also names the flag
      // that would show where it came from.
      if (typeof type === 'object' && type !== null) ({ type, code } = type as { type?: unknown; code?: unknown });
      const name = warning instanceof Error ? warning.name : typeof type === 'string' ? type : 'Warning';
      const text = warning instanceof Error ? warning.message : String(warning);
      ctx.stderr.write(`(node:1) ${typeof code === 'string' ? `[${code}] ` : ''}${name}: ${text}\n`);
      if (!warned) {
        warned = true;
        ctx.stderr.write(`(Use \`node --trace-${name === 'DeprecationWarning' ? 'deprecation' : 'warnings'} ...\` to show where the warning was created)\n`);
      }
    },
    umask: () => 0o22,
    getuid: () => 0,
    getgid: () => 0,
    features: {},
    config: { variables: {} },
  });
  // Not configurable, as in Node: a program cannot put a value of its own choosing in place of the setter's.
  Object.defineProperty(process, 'exitCode', {
    get: () => exitCode,
    set: (code: unknown) => {
      exitCode = checkedExitCode(code);
    },
    enumerable: true,
    configurable: false,
  });
  Object.defineProperty(process, 'stdin', {
    get: () => (stdin ??= createReadable(ctx)),
    enumerable: true,
    configurable: true,
  });
  return process;
}

export function createConsole(ctx: RunContext) {
  const out = (sink: OutputSink) => (...args: unknown[]) => {
    if (!ctx.stopped) sink.write(indent + format(...args).replace(/\n/g, `\n${indent}`) + '\n');
  };
  const { stdout, stderr } = ctx;
  let indent = '';
  const timers = new Map<string, number>();
  const counts = new Map<string, number>();
  const log = out(stdout);
  const error = out(stderr);
  return {
    log,
    info: log,
    debug: log,
    error,
    warn: error,
    trace: (...args: unknown[]) => error(`Trace: ${format(...args)}\n${String(new Error().stack).split('\n').slice(1).filter(Boolean).map((f) => `    at ${f}`).join('\n')}`),
    dir: (value: unknown, options?: object) => log(inspect(value, options)),
    dirxml: log,
    table: (data: unknown) => log(data),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) error(args.length ? `Assertion failed: ${format(...args)}` : 'Assertion failed');
    },
    group: (...args: unknown[]) => {
      if (args.length) log(...args);
      indent += '  ';
    },
    groupCollapsed: (...args: unknown[]) => {
      if (args.length) log(...args);
      indent += '  ';
    },
    groupEnd: () => {
      indent = indent.slice(2);
    },
    count: (label = 'default') => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      log(`${label}: ${n}`);
    },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => timers.set(label, now()),
    timeEnd: (label = 'default') => {
      const start = timers.get(label);
      if (start !== undefined) log(`${label}: ${formatMs(now() - start)}`);
      timers.delete(label);
    },
    timeLog: (label = 'default', ...args: unknown[]) => {
      const start = timers.get(label);
      if (start !== undefined) log(`${label}: ${formatMs(now() - start)}`, ...args);
    },
  };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
}

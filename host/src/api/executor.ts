// The library's entry object: runs programs on pooled warm sandboxes and opens sessions on sandboxes of their own.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ensureWasmFeatures } from '../engine/node-flags.js';
import { WorkerPool } from '../engine/pool.js';
import { useDedicatedSandbox } from '../engine/dedicated.js';

import type { SandboxWorker } from '../engine/sandbox-worker.js';
import type { WitCall } from '../engine/protocol.js';
import { posix } from 'node:path';
import { describeEngine } from './info.js';
import { validateLanguage, validateRunOptions, type ValidRunOptions } from './options.js';
import { callLimits, effectiveLimits, instanceEnv, resolveDefaults, type EffectiveLimits } from './limits.js';
import { runResultOf, unwrap, witFiles, witLanguage, witLimits, witRunCall } from './wit.js';
import { RunStream } from './run-stream.js';
import { routesToDataPython, runOnDataPython } from './data-run.js';
import { Session } from './session.js';
import { ExecError, ExecutorClosedError, OptionError } from './errors.js';
import { LANGUAGES, type EngineInfo, type Language, type Limits, type RunOptions, type RunResult, type SessionOptions } from './types.js';

export interface ExecutorOptions {
  /** Sandboxes kept per language for stateless runs (default: the number of cores). */
  poolSize?: number;
  /**
   * Limits applied when a run gives none (default: EXEC_TIMEOUT_MS / EXEC_MEMORY_LIMIT_MB / EXEC_OUTPUT_LIMIT_BYTES,
   * else 5 s, 256 MiB, 1 MiB per output stream, 64 MiB per file, 256 MiB of disk; see limits.ts).
   */
  defaults?: Partial<EffectiveLimits>;
  /** Where sandboxes' scratch and session directories are created (default: the OS temp directory). */
  scratchRoot?: string;
  /**
   * false: no warm pool; every stateless run starts a sandbox of its own and stops it afterwards, with no warm-up
   * runs (what a process that runs one program wants: the CLI's `run`). Default true.
   */
  pool?: boolean;
}

function isDirectory(path: unknown): boolean {
  try {
    return typeof path === 'string' && path !== '' && statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** An Executor's defaults (every limit has one). */
export type Defaults = EffectiveLimits;

export class Executor {
  readonly defaults: Defaults;
  private readonly pools = new Map<string, WorkerPool>();
  private readonly poolSize: number;
  private readonly sessions = new Set<Session>();
  private closed = false;

  constructor(private readonly options: ExecutorOptions = {}) {
    ensureWasmFeatures();
    this.poolSize = options.poolSize ?? availableParallelism();
    if (!Number.isInteger(this.poolSize) || this.poolSize < 1) throw new OptionError('poolSize', options.poolSize, 'expected a positive whole number');
    this.defaults = resolveDefaults(options.defaults);
    if (options.pool !== undefined && typeof options.pool !== 'boolean') throw new OptionError('pool', options.pool, 'expected true or false');
    if (options.scratchRoot !== undefined && !isDirectory(options.scratchRoot)) {
      throw new OptionError('scratchRoot', options.scratchRoot, 'expected the path of an existing directory');
    }
  }

  /** Every limit a run with `limits` gets. */
  effectiveLimits(limits: Limits | undefined): EffectiveLimits {
    return effectiveLimits(limits, this.defaults);
  }

  /**
   * Starts `count` sandboxes of `language` ahead of the first run (otherwise the first run starts one); with
   * `{ fresh: true }`, the spare never-used instances that `fresh` runs take.
   */
  warm(language: Language, count = 1, { fresh = false } = {}): Promise<void> {
    const valid = validateLanguage(language);
    if (this.options.pool === false) return Promise.resolve(); // nothing is kept warm: every run starts its own
    return this.pool(valid, this.defaults.memoryBytes, fresh).warm(count);
  }

  /**
   * Starts one sandbox per language in the background, for a long-lived server (the HTTP service, the MCP server):
   * its first request finds one warm instead of paying the cold start (~1 s). A sandbox that cannot start fails the
   * first run that needs it instead.
   */
  prewarm(): void {
    for (const language of LANGUAGES) this.warm(language).catch(() => undefined);
  }

  /** Runs a program to completion. Resolves with its result (any exit code); rejects with ExecError otherwise. */
  async run(options: RunOptions): Promise<RunResult> {
    const run = validateRunOptions(options);
    const limits = this.effectiveLimits(run.limits);
    // The WIT `run` takes stdin as a string; bytes go through `run-streaming`, whose stdin is list<u8>.
    const streamed = run.stdin instanceof Uint8Array;
    if (routesToDataPython(run)) {
      if (this.closed) throw new ExecutorClosedError();
      return runOnDataPython(run, limits, this.options.scratchRoot);
    }
    return this.sandboxFor(run, limits.memoryBytes).use((worker) => this.execute(worker, run, limits, streamed, {}));
  }

  /**
   * Runs a program while streaming its output. Without `stdin` in the options the program reads what is written to
   * `stream.stdin` (interactively) until `stream.stdin.end()`.
   */
  stream(options: RunOptions): RunStream {
    const run = validateRunOptions(options);
    const limits = this.effectiveLimits(run.limits);
    if (routesToDataPython(run)) {
      return new RunStream(async (push, stdin) => {
        if (this.closed) throw new ExecutorClosedError();
        return runOnDataPython(run, limits, this.options.scratchRoot, { onChunk: push, stdin });
      });
    }
    return new RunStream((push, stdin) => this.sandboxFor(run, limits.memoryBytes).use(async (worker) => {
      try {
        return await this.execute(worker, run, limits, true, { onChunk: push, live: true, ready: () => stdin.attach(worker) });
      } finally {
        stdin.detach();
      }
    }));
  }

  /**
   * One stateless run on `worker` (options → limits → WIT call → result): the WIT `run` / `run-streaming`, or, with
   * `cwd`, a throwaway guest session in the same instance (upload, set-working-dir, run): the WIT's stateless run has
   * no working directory.
   */
  private async execute(worker: SandboxWorker, run: ValidRunOptions, limits: EffectiveLimits, streamed: boolean,
    output: { onChunk?: (stream: 'stdout' | 'stderr', data: Uint8Array) => void; live?: boolean; ready?: () => void }): Promise<RunResult> {
    // The host stops the run at its time limit (the guest keeps no deadline of its own under this host).
    const deadline = { deadlineMs: limits.timeMs, signal: run.signal, limits: callLimits(limits) };
    const constraints = witLimits(run.limits, limits, worker.memoryCapBytes);
    const language = witLanguage(run.language, run.version);
    const files = witFiles(run);
    let call: WitCall;
    if (run.cwd === undefined) {
      call = witRunCall({ language, files }, run, constraints, streamed);
    } else {
      // No `close` afterwards: it would run guest code (which the program may have hooked) past the run's time limit.
      // The sandbox's reset forgets the guest session and the pool empties its directory.
      const step = async (setup: WitCall) => unwrap(await worker.call(setup, deadline), worker.memoryCapBytes);
      await step({ op: 'session.create', args: [language] });
      for (const file of files) await step({ op: 'session.call', method: 'upload', args: [file] });
      await step({ op: 'session.call', method: 'setWorkingDir', args: [run.cwd] });
      call = witRunCall({ entrypoint: posix.relative(posix.normalize(run.cwd), files[0]!.name) }, run, constraints, streamed);
    }
    const pending = worker.call(call, { ...deadline, onChunk: output.onChunk }, output.live);
    output.ready?.();
    try {
      return runResultOf(await pending, streamed, worker);
    } catch (error) {
      // The language itself was checked: what the guest refused is the version; say which.
      if (error instanceof ExecError && error.tag === 'unsupported-language' && error.payload === undefined) {
        throw new ExecError('unsupported-language', undefined, `${run.language} ${JSON.stringify(run.version)}`, { cause: error });
      }
      throw error;
    }
  }

  /** Opens a session: a sandbox of its own with a directory of its own, kept until `close()`. */
  async session(options: SessionOptions): Promise<Session> {
    if (this.closed) throw new ExecutorClosedError();
    const session = await Session.open(options, this, this.options.scratchRoot);
    this.sessions.add(session);
    session.onClose(() => this.sessions.delete(session));
    return session;
  }

  /** Component and engine versions, languages, and which layer enforces each limit. */
  info(): EngineInfo {
    return describeEngine(this.defaults);
  }

  /** Stops every sandbox and closes every open session. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions].map((session) => session.close().catch(() => undefined)));
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  async [Symbol.asyncDispose]() {
    await this.close();
  }

  /** Where a stateless run executes: a pooled warm sandbox, or one of its own when it has mounts or there is no pool
   *  (see dedicated.ts). */
  private sandboxFor(run: ValidRunOptions, memoryCapBytes: number): { use<T>(fn: (worker: SandboxWorker) => Promise<T>): Promise<T> } {
    if (run.mounts.length === 0 && this.options.pool !== false) return this.pool(run.language, memoryCapBytes, run.fresh ?? false);
    if (this.closed) throw new ExecutorClosedError();
    const options = { language: run.language, memoryCapBytes, env: this.instanceEnv(), limits: callLimits(this.defaults), mounts: run.mounts, scratchRoot: this.options.scratchRoot };
    return { use: (fn) => useDedicatedSandbox(options, fn) };
  }

  private pool(language: Language, memoryCapBytes: number, singleUse = false): WorkerPool {
    if (this.closed) throw new ExecutorClosedError();
    const key = `${language}:${memoryCapBytes}:${singleUse ? 'fresh' : 'warm'}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new WorkerPool({ language, memoryCapBytes, size: this.poolSize, env: this.instanceEnv(), limits: callLimits(this.defaults), scratchRoot: this.options.scratchRoot, singleUse });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** The instance-level defaults and switches the guest reads from its own environment. */
  instanceEnv(): Record<string, string> {
    return instanceEnv(this.defaults);
  }
}

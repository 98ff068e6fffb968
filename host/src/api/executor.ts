// The library's entry object: runs programs on pooled warm sandboxes and opens sessions on sandboxes of their own.
import { availableParallelism } from 'node:os';
import { ensureWasmFeatures } from '../engine/node-flags.js';
import { WorkerPool } from '../engine/pool.js';
import { useDedicatedSandbox } from '../engine/dedicated.js';
import { fromTerminalEvent, toRunResult, unwrap } from '../engine/outcome.js';
import type { SandboxWorker } from '../engine/sandbox-worker.js';
import { describeEngine } from './info.js';
import {
  stdinBytes, stdinText, validateLanguage, validateRunOptions, witEnv, witFiles, witLanguage, witLimits, type ValidRunOptions,
} from './options.js';
import { RunStream } from './run-stream.js';
import { Session } from './session.js';
import { OptionError } from './errors.js';
import type { EngineInfo, Language, Limits, RunOptions, RunResult, SessionOptions } from './types.js';

export interface ExecutorOptions {
  /** Sandboxes kept per language for stateless runs (default: the number of cores). */
  poolSize?: number;
  /** Limits applied when a run gives none (default: EXEC_TIMEOUT_MS / EXEC_MEMORY_LIMIT_MB, else 5 s / 256 MiB). */
  defaults?: { timeMs?: number; memoryBytes?: number };
  /** Where sandboxes' scratch and session directories are created (default: the OS temp directory). */
  scratchRoot?: string;
}

export interface Defaults {
  timeMs: number;
  memoryBytes: number;
}

/** How long after the run's own limit the host stops a sandbox whose guest did not stop itself. */
export function backstopMs(timeMs: number): number {
  return Math.ceil(timeMs * 1.2) + 100;
}

function envNumber(name: string, scale: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new OptionError(name, raw, 'expected a positive number');
  return value * scale;
}

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
    this.defaults = {
      timeMs: options.defaults?.timeMs ?? envNumber('EXEC_TIMEOUT_MS', 1) ?? 5000,
      memoryBytes: options.defaults?.memoryBytes ?? envNumber('EXEC_MEMORY_LIMIT_MB', 2 ** 20) ?? 256 * 2 ** 20,
    };
  }

  /** The memory cap and time limit a run with `limits` gets. */
  effectiveLimits(limits: Limits | undefined): Defaults {
    return { timeMs: limits?.timeMs ?? this.defaults.timeMs, memoryBytes: limits?.memoryBytes ?? this.defaults.memoryBytes };
  }

  /** Starts `count` sandboxes of `language` ahead of the first run (otherwise the first run starts one). */
  warm(language: Language, count = 1): Promise<void> {
    return this.pool(validateLanguage(language), this.defaults.memoryBytes).warm(count);
  }

  /** Runs a program to completion. Resolves with its result (any exit code); rejects with ExecError otherwise. */
  async run(options: RunOptions): Promise<RunResult> {
    const run = validateRunOptions(options);
    const limits = this.effectiveLimits(run.limits);
    const binaryStdin = run.stdin instanceof Uint8Array;
    return this.sandboxFor(run, limits.memoryBytes).use(async (worker) => {
      const args: unknown[] = [witLanguage(run.language, run.version), witFiles(run), undefined, run.args ?? [], witEnv(run.env),
        witLimits(run.limits, limits)];
      if (binaryStdin) {
        // The WIT `run` takes stdin as a string; bytes go through `run-streaming`, whose stdin is list<u8>.
        args[2] = stdinBytes(run.stdin);
        const result = await worker.call({ op: 'run-streaming', args }, { deadlineMs: backstopMs(limits.timeMs), signal: run.signal });
        return fromTerminalEvent(unwrap(result, worker.memoryCapBytes), result.memoryBytes, worker.memoryCapBytes);
      }
      args[2] = stdinText(run.stdin);
      const result = await worker.call({ op: 'run', args }, { deadlineMs: backstopMs(limits.timeMs), signal: run.signal });
      return toRunResult(unwrap(result, worker.memoryCapBytes), result.memoryBytes);
    });
  }

  /**
   * Runs a program while streaming its output. Without `stdin` in the options the program reads what is written to
   * `stream.stdin` (interactively) until `stream.stdin.end()`.
   */
  stream(options: RunOptions): RunStream {
    const run = validateRunOptions(options);
    const limits = this.effectiveLimits(run.limits);
    let active: SandboxWorker | undefined;
    const early: (Uint8Array | null)[] = [];
    const stdin = {
      write: (data: string | Uint8Array) => (active ? active.writeStdin(stdinBytes(data)!) : early.push(stdinBytes(data)!)),
      end: () => (active ? active.endStdin() : early.push(null)),
    };
    return new RunStream((push) => this.sandboxFor(run, limits.memoryBytes).use(async (worker) => {
      const args: unknown[] = [witLanguage(run.language, run.version), witFiles(run), stdinBytes(run.stdin), run.args ?? [],
        witEnv(run.env), witLimits(run.limits, limits)];
      const pending = worker.call({ op: 'run-streaming', args }, { deadlineMs: backstopMs(limits.timeMs), onChunk: push, signal: run.signal }, true);
      active = worker;
      for (const data of early.splice(0)) data ? worker.writeStdin(data) : worker.endStdin();
      try {
        const result = await pending;
        return fromTerminalEvent(unwrap(result, worker.memoryCapBytes), result.memoryBytes, worker.memoryCapBytes);
      } finally {
        active = undefined;
      }
    }), stdin);
  }

  /** Opens a session: a sandbox of its own with a directory of its own, kept until `close()`. */
  async session(options: SessionOptions): Promise<Session> {
    if (this.closed) throw new Error('the executor is closed');
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

  /** Where a stateless run executes: a pooled warm sandbox, or one of its own when it has mounts (see dedicated.ts). */
  private sandboxFor(run: ValidRunOptions, memoryCapBytes: number): { use<T>(fn: (worker: SandboxWorker) => Promise<T>): Promise<T> } {
    if (run.mounts.length === 0) return this.pool(run.language, memoryCapBytes);
    if (this.closed) throw new Error('the executor is closed');
    const options = { language: run.language, memoryCapBytes, env: this.instanceEnv(), mounts: run.mounts, scratchRoot: this.options.scratchRoot };
    return { use: (fn) => useDedicatedSandbox(options, fn) };
  }

  private pool(language: Language, memoryCapBytes: number): WorkerPool {
    if (this.closed) throw new Error('the executor is closed');
    const key = `${language}:${memoryCapBytes}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new WorkerPool({ language, memoryCapBytes, size: this.poolSize, env: this.instanceEnv(), scratchRoot: this.options.scratchRoot });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** The instance-level defaults the guest reads from its own environment. */
  instanceEnv(): Record<string, string> {
    return { EXEC_TIMEOUT_MS: String(this.defaults.timeMs), EXEC_MEMORY_LIMIT_MB: String(Math.floor(this.defaults.memoryBytes / 2 ** 20)) };
  }
}

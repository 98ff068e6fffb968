// A session: a sandbox (component instance, worker thread) and a host directory of its own, whose files persist
// between runs. Calls run one at a time in the order they were made. What persists is the files, the working
// directory and the REPL state of `eval`, nothing else: the instance's state is recorded once the session is set up
// (and again after uploads, a change of working directory, and after every evaluation: that is what keeps the REPL's
// names), and put back after every run, so no run sees what an earlier one did to the interpreter. The instance is
// the session's alone (its own worker), so its REPL state is too. If the host has to stop the sandbox (a run or
// evaluation reached a limit, or crashed it), a fresh one adopts the session's directory, so the files survive; the
// REPL state does not, and the next evaluation says so (`stateReset`).
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxWorker, type CallResult } from '../engine/sandbox-worker.js';
import type { WitCall } from '../engine/protocol.js';
import { ExecError } from './errors.js';
import { callLimits, type EffectiveLimits, type LimitSource } from './limits.js';
import { validateEval, validateFile, validateLanguage, validateLimits, validateMounts, validateSessionPath, validateSessionRunOptions } from './options.js';
import { evalResultOf, runResultOf, unwrap, witEvalCall, witFile, witLanguage, witLimits, witRunCall } from './wit.js';
import type { MountSpec } from '../engine/protocol.js';
import { RunStream } from './run-stream.js';
import type { EvalOptions, EvalResult, FileInput, Language, Limits, RunResult, SessionOptions, SessionRunOptions } from './types.js';
import { SESSION_DIR, WORKSPACE_PATH } from '../engine/guest-layout.js';

/**
 * A file the host keeps in a session's directory (beside the guest's own) while an instance holds REPL state: a
 * session that adopts the directory later (after an eviction, a service restart, `detach`) finds it and knows the
 * state was lost, so its first evaluation says so. The guests ignore files there (they look for their directory).
 */
const REPL_MARKER = '.golem-exec-repl-state';

/** Calls that do not run user code still get a backstop, in case the instance is wedged. */
const CALL_DEADLINE_MS = 30_000;

export class Session {
  readonly language: Language;
  /** Host directory preopened as the sandbox's /workspace; the session's files are in its `session-*` child. */
  readonly directory: string;
  private worker!: SandboxWorker;
  private queue: Promise<unknown> = Promise.resolve();
  /** The name of the guest session's directory in `directory`, once the first sandbox made it. */
  private guestDir: string | undefined;
  /** set-working-dir calls that succeeded, replayed on a replacement sandbox. */
  private workingDirs: string[] = [];
  /** The guest's session state changed (an upload, a working directory) since the instance's state was recorded. */
  private unrecorded = false;
  /** The reset after the last run, which the next call waits for. */
  private resetting: Promise<void> = Promise.resolve();
  /** An evaluation completed in the current instance: it holds REPL state that replacing it would lose. */
  private replLive = false;
  /** REPL state was lost since the last successful evaluation: the next one reports `stateReset`. */
  private replLost = false;
  private closed = false;
  private closeListeners: (() => void)[] = [];

  private constructor(
    private readonly options: SessionOptions,
    private readonly executor: LimitSource,
    private readonly ownsDirectory: boolean,
    directory: string,
    /** Host directories mounted into every sandbox of the session (a replacement sandbox gets them too). */
    private readonly mounts: readonly MountSpec[],
  ) {
    this.language = validateLanguage(options.language);
    this.directory = directory;
  }

  static async open(options: SessionOptions, executor: LimitSource, scratchRoot?: string): Promise<Session> {
    validateLanguage(options?.language);
    const mounts = validateMounts(options.mounts);
    if (options.limits !== undefined) validateLimits(options.limits);
    let directory = options.directory;
    if (directory) await mkdir(directory, { recursive: true });
    else directory = mkdtempSync(join(scratchRoot ?? tmpdir(), `golem-exec-session-${options.language}-`));
    const session = new Session(options, executor, !options.directory, directory, mounts);
    try {
      await session.startSandbox();
    } catch (error) {
      if (session.ownsDirectory) rmSync(directory, { recursive: true, force: true });
      throw error;
    }
    return session;
  }

  /**
   * Starts a sandbox with a guest session in it; an existing session directory (a restart) is adopted. The guest names
   * its session's directory itself; the host learns the name from what appeared, and after a restart puts the
   * directory it learned in place of the new (empty) one. Only on a session's first start in a directory that holds
   * an earlier process's session does it go by what is there.
   */
  private async startSandbox() {
    const marker = join(this.directory, REPL_MARKER);
    if (this.replLive || existsSync(marker)) [this.replLive, this.replLost] = [false, true];
    rmSync(marker, { force: true });
    const before = this.guestDirs();
    this.worker = await SandboxWorker.start({
      language: this.language,
      memoryCapBytes: this.executor.effectiveLimits(this.options.limits).memoryBytes,
      preopens: { [WORKSPACE_PATH]: this.directory },
      mounts: this.mounts,
      env: this.executor.instanceEnv(),
      limits: callLimits(this.sessionLimits()),
    });
    unwrap(await this.worker.call({ op: 'session.create', args: [witLanguage(this.language, this.options.version)] },
      { deadlineMs: CALL_DEADLINE_MS }), this.worker.memoryCapBytes);
    const created = this.guestDirs().filter((name) => !before.includes(name));
    // Both guests make their session's directory in the constructor: exactly one appears.
    if (created.length === 1) {
      const previous = this.guestDir !== undefined ? (before.includes(this.guestDir) ? this.guestDir : undefined) : this.earlierSession(before);
      if (previous !== undefined) {
        // Keep the files: the new guest session's (empty) directory is replaced by the previous one.
        rmSync(join(this.directory, created[0]!), { recursive: true, force: true });
        renameSync(join(this.directory, previous), join(this.directory, created[0]!));
        for (const dir of this.workingDirs) unwrap(await this.worker.call({ op: 'session.call', method: 'setWorkingDir', args: [dir] }, { deadlineMs: CALL_DEADLINE_MS }), this.worker.memoryCapBytes);
      }
      this.guestDir = created[0]!;
    }
    // Every run of the session starts from here (see reset).
    this.unrecorded = !(await this.worker.checkpoint());
  }

  /** The WIT call of a run of `entrypoint`, and its limits: the run's own over the session's. */
  private runCall(entrypoint: string, run: SessionRunOptions, streamed: boolean) {
    const { wit, limits } = this.callLimitsOf(run.limits);
    return { call: witRunCall({ entrypoint }, run, wit, streamed), limits };
  }

  /** A call's limits, its own over the session's: as the WIT record, and as the host enforces them. */
  private callLimitsOf(own: Limits | undefined) {
    const requested = { ...this.options.limits, ...own };
    const limits = this.executor.effectiveLimits(requested);
    return { wit: witLimits(requested, limits, this.worker.memoryCapBytes), limits };
  }

  /** The session's own limits (its defaults for runs; its disk quota covers all its files). */
  private sessionLimits(): EffectiveLimits {
    return this.executor.effectiveLimits(this.options.limits);
  }

  /** The guest session directories in the workspace: real directories with a guest's name (not files, not links). */
  private guestDirs(): string[] {
    return readdirSync(this.directory, { withFileTypes: true }).filter((entry) => entry.isDirectory() && SESSION_DIR.test(entry.name)).map((entry) => entry.name);
  }

  /**
   * On a first start in a directory an earlier process's session used (`detach`, a service restart): its session
   * directory. Should a crash during an adoption have left two, the one holding files (the most recently changed)
   * wins; the others are removed.
   */
  private earlierSession(dirs: string[]): string | undefined {
    const [previous, ...stale] = dirs
      .map((name) => ({ name, files: readdirSync(join(this.directory, name)).length, changed: statSync(join(this.directory, name)).mtimeMs }))
      .sort((a, b) => Number(b.files > 0) - Number(a.files > 0) || b.changed - a.changed);
    for (const { name } of stale) rmSync(join(this.directory, name), { recursive: true, force: true });
    return previous?.name;
  }

  /** Writes a file (relative to the working directory). Bytes are written unchanged; strings per `encoding`. */
  upload(file: FileInput): Promise<void>;
  upload(name: string, content: string | Uint8Array, encoding?: FileInput['encoding']): Promise<void>;
  upload(fileOrName: FileInput | string, content?: string | Uint8Array, encoding?: FileInput['encoding']): Promise<void> {
    const file = validateFile(typeof fileOrName === 'string' ? { name: fileOrName, content, encoding } : fileOrName);
    return this.serial(() => this.request<void>({ op: 'session.call', method: 'upload', args: [witFile(file)] }));
  }

  /** Runs `entrypoint` (relative to the working directory) to completion. */
  run(entrypoint: string, options?: SessionRunOptions): Promise<RunResult> {
    validateSessionPath('entrypoint', entrypoint);
    const run = validateSessionRunOptions(options);
    return this.serial(async () => {
      // The WIT `run` takes stdin as a string; bytes go through `run-streaming`, whose stdin is list<u8>.
      const streamed = run.stdin instanceof Uint8Array;
      const { call, limits } = this.runCall(entrypoint, run, streamed);
      return runResultOf(await this.callGuest(call, { limits, signal: run.signal }), streamed, this.worker);
    });
  }

  /**
   * Evaluates `code` against the session's REPL state, as the language's REPL would: names it defines stay for the
   * next evaluations (of this session only; runs do not see or change them), the value of a final expression comes
   * back as text. Runs in the working directory, beside the session's files, under the session's limits (or
   * `options.limits`). An evaluation stopped at a limit discards the REPL state (the files stay), as does any
   * replacement of the sandbox; every evaluation after that says so (`stateReset`) until one succeeds.
   */
  eval(code: string, options?: EvalOptions): Promise<EvalResult> {
    const valid = validateEval(code, options);
    return this.serial(async () => {
      const { wit, limits } = this.callLimitsOf(valid.limits);
      const result = await this.callGuest(witEvalCall(code, wit), { limits, signal: valid.signal });
      // Every evaluation after the loss says so (a failed one on its error), until one succeeds.
      try {
        const evaluated = evalResultOf(result, this.worker, this.replLost);
        this.replLost = false;
        return evaluated;
      } catch (error) {
        if (error instanceof ExecError) error.stateReset = this.replLost;
        throw error;
      }
    });
  }

  /** Runs `entrypoint` streaming its output; without `stdin` the program reads `stream.stdin`. */
  stream(entrypoint: string, options?: SessionRunOptions): RunStream {
    validateSessionPath('entrypoint', entrypoint);
    const run = validateSessionRunOptions(options);
    return new RunStream((push, stdin) => this.serial(async () => {
      const { call, limits } = this.runCall(entrypoint, run, true);
      // Input goes to the run once its call is with the sandbox (not to the reset or checkpoint before it).
      const ready = () => stdin.attach({ writeStdin: (data) => this.worker.writeStdin(data), endStdin: () => this.worker.endStdin() });
      try {
        return runResultOf(await this.callGuest(call, { limits, onChunk: push, signal: run.signal, ready }), true, this.worker);
      } finally {
        stdin.detach();
      }
    }));
  }

  /** The bytes of a file (relative to the working directory). */
  download(path: string): Promise<Uint8Array> {
    validateSessionPath('path', path);
    return this.serial(() => this.request<Uint8Array>({ op: 'session.call', method: 'download', args: [path] }));
  }

  /**
   * Deletes a file (relative to the working directory; a symlink itself, not its target). Not a directory; a path
   * outside the session or a file it does not have is an ExecError (`internal`) saying so.
   */
  async remove(path: string): Promise<void> {
    validateSessionPath('path', path);
    return this.serial(() => this.request<void>({ op: 'session.remove', args: [path] }));
  }

  /** Files below `dir` (default: the working directory), recursively, as sorted relative paths. */
  listFiles(dir = '.'): Promise<string[]> {
    validateSessionPath('dir', dir);
    return this.serial(() => this.request<string[]>({ op: 'session.call', method: 'listFiles', args: [dir] }));
  }

  /** Changes the directory that relative paths and runs resolve against (never outside the session's root). */
  setWorkingDir(path: string): Promise<void> {
    validateSessionPath('path', path);
    return this.serial(async () => {
      await this.request<void>({ op: 'session.call', method: 'setWorkingDir', args: [path] });
      this.workingDirs.push(path);
    });
  }

  /** Deletes the session's files and stops its sandbox. Later calls fail; closing twice is harmless. */
  close(): Promise<void> {
    if (this.closed) return this.queue.then(() => undefined, () => undefined);
    this.closed = true;
    const done = this.queue.catch(() => undefined).then(async () => {
      await this.resetting;
      if (!this.worker.dead) await this.worker.call({ op: 'session.call', method: 'close', args: [] }, { deadlineMs: CALL_DEADLINE_MS });
      this.worker.terminate();
      if (this.ownsDirectory) rmSync(this.directory, { recursive: true, force: true });
      else if (this.guestDir !== undefined) {
        rmSync(join(this.directory, this.guestDir), { recursive: true, force: true });
        rmSync(join(this.directory, REPL_MARKER), { force: true });
      }
      for (const listener of this.closeListeners) listener();
    });
    this.queue = done;
    return done;
  }

  /**
   * Stops the sandbox but keeps the session's directory (a service shutting down); a later `Executor.session()` with
   * the same `directory` adopts the files.
   */
  detach(): Promise<void> {
    this.closed = true;
    return this.queue.catch(() => undefined).then(() => {
      this.worker.terminate();
      for (const listener of this.closeListeners) listener();
    });
  }

  async [Symbol.asyncDispose]() {
    await this.close();
  }

  /** @internal */
  onClose(listener: () => void) {
    this.closeListeners.push(listener);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ExecError('internal', 'session is closed'));
    const next = this.queue.catch(() => undefined).then(fn);
    this.queue = next;
    return next;
  }

  /**
   * One guest call, stopped at its time limit (a run) or after CALL_DEADLINE_MS; if the sandbox had to be stopped, a
   * fresh one takes over the files. A run starts from the recorded state, and the instance is put back into it after
   * the run (while the caller already has the result: the next call waits for it).
   */
  private async callGuest(call: WitCall, run: {
    limits?: EffectiveLimits; onChunk?: (stream: 'stdout' | 'stderr', data: Uint8Array) => void; signal?: AbortSignal; ready?: () => void;
  } = {}): Promise<CallResult> {
    const { limits, onChunk, signal } = run;
    const method = call.op === 'session.call' ? call.method : undefined;
    await this.resetting;
    if (this.worker.dead) await this.startSandbox();
    const isEval = call.op === 'session.eval';
    const isRun = method === 'run' || method === 'runStreaming';
    if (isRun && this.unrecorded) this.unrecorded = !(await this.worker.checkpoint());
    const deadlineMs = limits ? limits.timeMs : CALL_DEADLINE_MS;
    const pending = this.worker.call(call, { deadlineMs, onChunk, signal, limits: callLimits(limits ?? this.sessionLimits()) }, Boolean(onChunk));
    run.ready?.();
    const result = await pending;
    const stopped = 'outcome' in result && result.outcome.kind === 'err' && (result.outcome.error.tag === 'timeout' || result.outcome.error.tag === 'resource-exceeded');
    if (isEval && stopped && !this.worker.dead) {
      // An evaluation stopped at a limit may have left the REPL state half-changed: the instance is replaced.
      this.worker.terminate();
    }
    if (this.worker.dead) {
      // Replace the sandbox now, so the next call finds the session as it was (its files, its working directory).
      await this.startSandbox().catch(() => undefined);
    } else if (isEval) {
      // The instance as the evaluation left it is what the next runs and evaluations start from (the REPL state).
      if (!this.replLive) writeFileSync(join(this.directory, REPL_MARKER), '');
      this.replLive = true;
      const worker = this.worker;
      this.resetting = worker.checkpoint().then((recorded) => {
        this.unrecorded = !recorded;
      });
    } else if (isRun) {
      // Not recorded (a checkpoint failed): the instance cannot be trusted to start the next run clean; replace it.
      const worker = this.worker;
      this.resetting = (this.unrecorded ? Promise.resolve(false) : worker.reset({ renew: false })).then((restored) => {
        if (!restored) worker.terminate();
      });
    } else if (method === 'upload' || method === 'setWorkingDir' || call.op === 'session.remove') {
      this.unrecorded = true;
    }
    return result;
  }

  /** A guest call that runs no program, its value (the call's WIT result type). */
  private async request<T>(call: WitCall): Promise<T> {
    return unwrap(await this.callGuest(call), this.worker.memoryCapBytes) as T;
  }
}

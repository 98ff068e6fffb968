// The state of one program run, shared by the Node-compatible modules: its files, cwd, stdio, env, timers, and how
// it ends (exit code, uncaught error, timeout).
import { now, realClearInterval, realClearTimeout, realQueueMicrotask, realSetInterval, realSetTimeout } from '../intrinsics.js';
import { OutputSink, stdioListener } from '../output.js';
import type { RunRequest } from '../request.js';
import { getSettings } from '../settings.js';

/** Thrown to unwind the program's stack on process.exit() and after a deadline; the run ends either way. */
export class StopSignal {
  constructor(readonly reason: 'exit' | 'timeout') {}
}

/**
 * The call's time-ms, else EXEC_TIMEOUT_MS, else 5000; 0 means no deadline in the guest (Infinity), and so does a host
 * that stops runs itself (EXEC_HOST_TIMEOUT).
 */
function deadlineOf(limits: RunRequest['limits']): number {
  if (getSettings().hostTimeout) return Infinity;
  const ms = limits?.timeMs !== undefined ? Number(limits.timeMs) : getSettings().timeoutMs;
  return ms === 0 ? Infinity : now() + ms;
}

/** Most checks between two clock reads (a tight loop does ~10^7 back-edges a second in the interpreter). */
const MAX_BUDGET = 1 << 16;

export class RunContext {
  exitCode: number | undefined;
  /** The first uncaught error (thrown, or rejected with nobody to handle it). */
  fatal: { error: unknown } | undefined;
  stopped = false;
  timedOut = false;
  private readonly timers = new Set<number>();
  private wake: (() => void) | undefined;
  private pendingWork = 0;
  private budget = 64;
  private lastCheck = now();
  private readonly nextTicks: { fn: Function; args: unknown[] }[] = [];

  readonly stdout: OutputSink;
  readonly stderr: OutputSink;
  /** Absolute deadline (performance.now() milliseconds); Infinity for none. */
  readonly deadline: number;
  /** Largest file the program may write, in bytes. */
  readonly fileSizeLimit: number;

  constructor(readonly request: RunRequest) {
    const { outputLimitBytes, mirrorOutput } = getSettings();
    const listener = request.listener ?? (mirrorOutput ? stdioListener() : undefined);
    this.stdout = new OutputSink('stdout', outputLimitBytes, listener);
    this.stderr = new OutputSink('stderr', outputLimitBytes, listener);
    this.deadline = deadlineOf(request.limits);
    this.fileSizeLimit = request.limits?.fileSizeBytes !== undefined ? Number(request.limits.fileSizeBytes) : Number.MAX_SAFE_INTEGER;
  }

  get cwdPath(): string {
    return [this.request.rootPath, ...this.request.cwd].join('/');
  }

  /** Ends the run: further output is dropped and no more callbacks run. */
  stop(): void {
    this.stopped = true;
    for (const id of this.timers) (realClearTimeout(id), realClearInterval(id));
    this.timers.clear();
    this.wake?.();
  }

  exit(code: number): never {
    if (!this.stopped) {
      this.exitCode = code;
      this.stop();
    }
    throw new StopSignal('exit');
  }

  fail(error: unknown): void {
    if (error instanceof StopSignal) return;
    if (this.stopped) return;
    this.fatal = { error };
    this.exitCode = 1;
    this.stop();
  }

  /**
   * The cooperative deadline: user code calls this when its per-file budget of loop back-edges and function entries
   * runs out (see transform.ts), and gets the next budget. The budget adapts so that the clock is read about every
   * millisecond: long enough that reading it costs nothing measurable, short enough that a loop whose iterations
   * call slow builtins still stops soon after the deadline. Once the deadline passed every check throws again, so a
   * program that catches the StopSignal (`try { … } catch {}` in a loop, a `finally` that loops) cannot keep going.
   */
  tick = (): number => {
    if (this.timedOut) throw new StopSignal('timeout');
    const t = now();
    if (t > this.deadline) {
      this.timedOut = true;
      this.stop();
      throw new StopSignal('timeout');
    }
    const elapsed = t - this.lastCheck;
    this.lastCheck = t;
    if (elapsed < 0.5) this.budget = Math.min(this.budget * 2, MAX_BUDGET);
    else if (elapsed > 2) this.budget = Math.max(this.budget >> 2, 1);
    return this.budget;
  };

  /** Runs a callback of the program (timer, event) so that a throw fails the run as in Node. */
  invoke(fn: Function, self: unknown, args: unknown[]): void {
    if (this.stopped) return;
    try {
      fn.apply(self, args);
    } catch (error) {
      this.fail(error);
    }
    this.drainNextTicks();
  }

  /** process.nextTick: runs before promise reactions, once the current callback (or the main module) returns. */
  nextTick(fn: Function, args: unknown[]): void {
    this.nextTicks.push({ fn, args });
    if (this.nextTicks.length === 1) realQueueMicrotask(() => this.drainNextTicks());
  }

  drainNextTicks(): void {
    while (this.nextTicks.length && !this.stopped) {
      const { fn, args } = this.nextTicks.shift()!;
      try {
        fn(...args);
      } catch (error) {
        this.fail(error);
      }
    }
  }

  setTimer(callback: Function, delay: number, args: unknown[], repeat: boolean): number {
    if (typeof callback !== 'function') {
      throw Object.assign(new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`), { code: 'ERR_INVALID_ARG_TYPE' });
    }
    const ms = Math.max(0, Math.min(Number(delay) || 0, 2 ** 31 - 1));
    const fire = () => {
      if (!repeat) this.forget(id);
      this.invoke(callback, undefined, args);
      this.checkIdle();
    };
    const id: number = repeat ? realSetInterval(fire, ms) : realSetTimeout(fire, ms);
    this.timers.add(id);
    return id;
  }

  clearTimer(id: unknown): void {
    if (typeof id !== 'number' || !this.timers.has(id)) return;
    realClearTimeout(id);
    realClearInterval(id);
    this.forget(id);
  }

  private forget(id: number) {
    this.timers.delete(id);
    this.checkIdle();
  }

  /** Work other than timers that keeps the program alive (pending stdin reads, fs callbacks). */
  hold(): () => void {
    this.pendingWork++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.pendingWork--;
      this.checkIdle();
    };
  }

  private checkIdle() {
    if (this.timers.size === 0 && this.pendingWork === 0) this.wake?.();
  }

  /**
   * Resolves once nothing can run any more: no timers, no pending work, microtasks drained (what ends a Node
   * process), or when the run stopped. The deadline timer guards against a program that never goes idle.
   */
  async idle(): Promise<void> {
    const { deadline } = this;
    const deadlineTimer =
      deadline === Infinity
        ? undefined
        : realSetTimeout(() => {
            this.timedOut = true;
            this.stop();
          }, Math.max(0, deadline - now()));
    try {
      for (;;) {
        // A macrotask turn lets every queued microtask (promise reaction) run first.
        await new Promise<void>((resolve) => realSetTimeout(resolve, 0));
        if (this.stopped) return;
        if (this.timers.size === 0 && this.pendingWork === 0) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      if (deadlineTimer !== undefined) realClearTimeout(deadlineTimer);
    }
  }
}

// Warm sandbox workers for stateless runs of one language at one memory cap. Up to `size` runs go at once (one per
// core by default). After every run the host empties the worker's scratch directory and puts its instance back into
// the state recorded after its warm-up (a reset, in the worker, while the caller already has its result), so every
// run starts from pristine state; a worker that trapped, was stopped at its time limit or has grown its linear memory
// close to the cap is retired and replaced in the background. A run that arrives while every worker is being reset
// would wait for a reset (a memory copy of 14-25 MB, 3-8 ms); the first time that happens the pool starts one spare
// worker, so that runs back to back alternate between two instances and each reset overlaps the next run.
import type { SandboxWorker } from './sandbox-worker.js';
import { startScratchSandbox, type ScratchSandbox } from './scratch-sandbox.js';
import type { CallLimits, LanguageName } from './protocol.js';

/** A worker whose memory passed this share of its cap would leave the next run too little headroom. */
const RETIRE_AT_MEMORY_SHARE = 0.75;

/** Workers kept beyond `size` so that runs need not wait for a reset (started on the first wait for one). */
const SPARES = 1;

export interface PoolOptions {
  language: LanguageName;
  memoryCapBytes: number;
  size: number;
  env: Record<string, string>;
  /** Host-enforced limits of calls that give none. */
  limits: CallLimits;
  /** Where each worker's scratch directory (its /workspace) is created. */
  scratchRoot?: string;
  /**
   * Every run gets an instance no run has used before (`fresh: true` runs): after its run a worker replaces its
   * instance with a new one in the same thread (or, if it died, a new worker is started) before it is offered again,
   * so the next fresh run finds one ready instead of paying the start-up.
   */
  singleUse?: boolean;
}


export class WorkerPool {
  private idle: ScratchSandbox[] = [];
  private starting = 0;
  /** Workers being reset or given a new instance after a run. */
  private resetting = 0;
  private busy = 0;
  private waiters: { resolve: (sandbox: ScratchSandbox) => void; reject: (error: Error) => void }[] = [];
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  private get workers(): number {
    return this.busy + this.starting + this.resetting + this.idle.length;
  }

  /** Starts workers until `count` are idle or starting (pre-warming). */
  warm(count = 1): Promise<void> {
    const wanted = Math.min(count, this.options.size) - this.workers;
    const starts: Promise<void>[] = [];
    for (let i = 0; i < wanted; i++) starts.push(this.spawn().then((worker) => this.offer(worker)));
    return Promise.all(starts).then(() => undefined);
  }

  /** Runs `fn` on a worker of its own; the worker goes back to the pool (or is retired) afterwards. */
  async use<T>(fn: (worker: SandboxWorker) => Promise<T>): Promise<T> {
    const pooled = await this.acquire();
    try {
      return await fn(pooled.worker);
    } finally {
      // After the caller has its result: emptying the scratch directory and the reset are not part of the run.
      setImmediate(() => {
        this.busy--;
        this.release(pooled);
        this.dispatch();
      });
    }
  }

  private acquire(): Promise<ScratchSandbox> {
    if (this.closed) return Promise.reject(new Error('the executor is closed'));
    const waiting = new Promise<ScratchSandbox>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.idle.length === 0 && this.workers < this.options.size) this.replenish();
    this.dispatch();
    return waiting;
  }

  /**
   * Hands idle workers to waiting runs, never more than `size` runs at once. A run that could go but finds every
   * worker being reset gets a spare started (see the file's comment); it takes whichever is ready first.
   */
  private dispatch() {
    while (this.waiters.length > 0 && this.idle.length > 0 && this.busy < this.options.size) {
      this.busy++;
      this.waiters.shift()!.resolve(this.idle.pop()!);
    }
    const waitsForReset = this.waiters.length > 0 && this.busy < this.options.size && this.resetting > 0;
    if (waitsForReset && this.starting === 0 && this.workers < this.options.size + SPARES) this.replenish();
  }

  private release(pooled: ScratchSandbox) {
    const { worker } = pooled;
    if (this.options.singleUse && !worker.dead && !this.closed) return this.renew(pooled);
    const reusable = !this.options.singleUse && !worker.dead && worker.memoryBytes <= worker.memoryCapBytes * RETIRE_AT_MEMORY_SHARE;
    if (reusable) return this.reset(pooled);
    pooled.dispose();
    if (!this.closed && (this.options.singleUse || this.waiters.length > 0 || this.idle.length === 0)) this.replenish();
  }

  private offer(pooled: ScratchSandbox) {
    if (this.closed) return pooled.dispose();
    this.idle.push(pooled);
    this.dispatch();
  }

  /**
   * A used sandbox's scratch directory is emptied and its instance put back into its recorded state (or, where that
   * cannot be done, given a new instance in its thread), then it is offered again; if any of that fails it is replaced.
   */
  private reset(pooled: ScratchSandbox) {
    this.resetting++;
    pooled.clear().then(() => pooled.worker.reset({ renew: true }), () => false).then((ready) => {
      this.resetting--;
      if (ready) return this.offer(pooled);
      pooled.dispose();
      if (!this.closed) this.replenish();
    });
  }

  /** A used single-use sandbox gets a new instance in its thread, then is offered again (or replaced if that failed). */
  private renew(pooled: ScratchSandbox) {
    this.resetting++;
    pooled.renew().then((renewed) => {
      this.resetting--;
      if (renewed) this.offer(pooled);
      else if (!this.closed) this.replenish();
    });
  }

  /** Starts one more sandbox in the background; if it cannot start (component missing, broken build), every run
   *  waiting for one fails with the reason. */
  private replenish() {
    this.spawn().then(
      (sandbox) => this.offer(sandbox),
      (error) => {
        for (const waiter of this.waiters.splice(0)) waiter.reject(error);
      },
    );
  }

  private async spawn(): Promise<ScratchSandbox> {
    this.starting++;
    try {
      const { language, memoryCapBytes, env, limits, scratchRoot, singleUse } = this.options;
      return await startScratchSandbox({ language, memoryCapBytes, env, limits, scratchRoot, singleUse });
    } finally {
      this.starting--;
    }
  }

  close() {
    this.closed = true;
    for (const pooled of this.idle.splice(0)) pooled.dispose();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the executor is closed'));
  }
}

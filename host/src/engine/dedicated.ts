// A sandbox started for one stateless run and stopped after it: how runs with host mounts are executed, and every run
// of an Executor made with `pool: false` (a process that runs one program: the CLI).
//
// Why not the pool: a pooled worker's preopens are fixed when its instance is created (the shim builds its preopen
// table at instantiation, and both guests read it once), so a run with mounts needs an instance made for its mount
// set. A pool keyed by mount set would keep up to `poolSize` warm instances (a thread and tens of MiB of linear
// memory each) for every distinct set a caller ever used, with no natural point to let them go, and would keep host
// directories reachable by instances after the runs that asked for them. A dedicated sandbox costs one instantiation
// per run (the core modules are compiled once per process and shared) and leaves nothing behind. Measured on the
// 2-core dev machine at low load: a run with a mount takes ~0.25-0.3 s (a new worker and instance) against ~10 ms
// for a pooled run, so callers that run many programs against the same mounts should open a session with those
// mounts: one instance, kept warm.
import type { SandboxWorker } from './sandbox-worker.js';
import { startScratchSandbox, type ScratchSandboxOptions } from './scratch-sandbox.js';
import type { MountSpec } from './protocol.js';

export interface DedicatedOptions extends ScratchSandboxOptions {
  mounts: readonly MountSpec[];
}

/** Runs `fn` on a fresh sandbox with `options.mounts`; the sandbox and its scratch directory are gone afterwards. */
export async function useDedicatedSandbox<T>(options: DedicatedOptions, fn: (worker: SandboxWorker) => Promise<T>): Promise<T> {
  // No warm-up: the run is waiting for this sandbox, and a warm-up would only pay its first-run costs ahead of it.
  const sandbox = await startScratchSandbox({ ...options, singleUse: true, warmUpRuns: 0 });
  try {
    return await fn(sandbox.worker);
  } finally {
    sandbox.dispose();
  }
}

// A sandbox started for one stateless run and stopped after it: how runs with host mounts are executed.
//
// Why not the pool: a pooled worker's preopens are fixed when its instance is created (the shim builds its preopen
// table at instantiation, and both guests read it once), so a run with mounts needs an instance made for its mount
// set. A pool keyed by mount set would keep up to `poolSize` warm instances (a thread and tens of MiB of linear
// memory each) for every distinct set a caller ever used, with no natural point to let them go, and would keep host
// directories reachable by instances after the runs that asked for them. A dedicated sandbox costs one instantiation
// per run (the core modules are compiled once per process and shared) and leaves nothing behind. Measured on the
// 2-core dev machine (median of 7 after warm-up): a run with a mount takes ~1.2 s (JS) / ~1.4 s (Python) against
// ~0.1 s for a pooled run, so callers that run many programs against the same mounts should open a session with
// those mounts: one instance, kept warm (~30 ms per run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxWorker } from './sandbox-worker.js';
import type { LanguageName, MountSpec } from './protocol.js';

export interface DedicatedOptions {
  language: LanguageName;
  memoryCapBytes: number;
  env: Record<string, string>;
  mounts: readonly MountSpec[];
  /** Where the sandbox's scratch directory (its /workspace) is created. */
  scratchRoot?: string;
}

/** Runs `fn` on a fresh sandbox with `options.mounts`; the sandbox and its scratch directory are gone afterwards. */
export async function useDedicatedSandbox<T>(options: DedicatedOptions, fn: (worker: SandboxWorker) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(options.scratchRoot ?? tmpdir(), `golem-exec-${options.language}-`));
  let worker: SandboxWorker | undefined;
  try {
    worker = await SandboxWorker.start({
      language: options.language,
      memoryCapBytes: options.memoryCapBytes,
      preopens: { '/workspace': dir },
      mounts: options.mounts,
      env: options.env,
    });
    return await fn(worker);
  } finally {
    worker?.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
}

// A sandbox for stateless runs: a worker whose /workspace is a fresh scratch directory of its own, both removed
// together. Pooled sandboxes (pool.ts) and the one-run sandboxes of runs with mounts (dedicated.ts) are made here.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxWorker } from './sandbox-worker.js';
import type { CallLimits, LanguageName, MountSpec } from './protocol.js';
import { RUN_DIR, WORKSPACE_PATH } from './guest-layout.js';

export interface ScratchSandboxOptions {
  language: LanguageName;
  memoryCapBytes: number;
  env: Record<string, string>;
  limits: CallLimits;
  /** One program per instance (see SandboxWorkerOptions.singleUse). */
  singleUse?: boolean;
  mounts?: readonly MountSpec[];
  /** Where the scratch directory is created (default: the OS temp directory). */
  scratchRoot?: string;
}

export interface ScratchSandbox {
  worker: SandboxWorker;
  dir: string;
  /** Stops the worker and removes its scratch directory. */
  dispose(): void;
  /**
   * Removes whatever a run left in the scratch directory. The guest removes its run's own directory itself; a program
   * that got around the guest's guard could leave files beside it for the next run of this worker to find.
   */
  clear(): void;
  /**
   * Empties the scratch directory and gives the worker a new instance: a never-used sandbox again, without a new
   * thread. False if that failed (the sandbox is disposed then).
   */
  renew(): Promise<boolean>;
}

export async function startScratchSandbox(options: ScratchSandboxOptions): Promise<ScratchSandbox> {
  const dir = mkdtempSync(join(options.scratchRoot ?? tmpdir(), `golem-exec-${options.language}-`));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    const worker = await SandboxWorker.start({
      language: options.language,
      memoryCapBytes: options.memoryCapBytes,
      preopens: { [WORKSPACE_PATH]: dir },
      mounts: options.mounts,
      env: options.env,
      limits: options.limits,
      singleUse: options.singleUse,
    });
    const dispose = () => (worker.terminate(), removeDir());
    const clear = () => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        rmSync(path, { recursive: true, force: true });
        // The Python guest's stateless run directory outlives the run in its (restored) state: it is made anew, so
        // that not even its size or times tell the next caller what the last run did in it.
        if (entry.isDirectory() && RUN_DIR.test(entry.name)) mkdirSync(path);
      }
    };
    const renew = async () => {
      try {
        // What the last program left anywhere in its /workspace goes with its instance.
        removeDir();
        mkdirSync(dir);
      } catch {
        dispose();
        return false;
      }
      const renewed = await worker.renew();
      if (!renewed) dispose();
      return renewed;
    };
    return { worker, dir, dispose, clear, renew };
  } catch (error) {
    removeDir();
    throw error;
  }
}

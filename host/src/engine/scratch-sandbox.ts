// A sandbox for stateless runs: a worker whose /workspace is a fresh scratch directory of its own, both removed
// together. Pooled sandboxes (pool.ts) and the one-run sandboxes of runs with mounts (dedicated.ts) are made here.
import { lstatSync, mkdtempSync, readdirSync, rmSync, type Stats } from 'node:fs';
import { lstat, mkdir, readdir, rm, utimes } from 'node:fs/promises';
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
  /** See SandboxWorkerOptions.warmUpRuns. */
  warmUpRuns?: number;
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
   * that got around the guest's guard could leave files beside it for the next run of this worker to find. Through
   * libuv's thread pool, not the event loop: a run can leave tens of thousands of entries (the quota counts bytes).
   */
  clear(): Promise<void>;
  /**
   * Empties the scratch directory and gives the worker a new instance: a never-used sandbox again, without a new
   * thread. False if that failed (the sandbox is disposed then).
   */
  renew(): Promise<boolean>;
}

export async function startScratchSandbox(options: ScratchSandboxOptions): Promise<ScratchSandbox> {
  const dir = mkdtempSync(join(options.scratchRoot ?? tmpdir(), `golem-exec-${options.language}-`));
  // Synchronous: a process that exits right after a dispose (the CLI) must not leave the directory behind.
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
      warmUpRuns: options.warmUpRuns,
    });
    const dispose = () => (worker.terminate(), removeDir());
    /** The Python guest's run directory as the instance's warm-up left it, by path (see `clearRunDir`). */
    let runDirs = recordRunDirs(dir);
    const clear = async () => {
      // Only the recorded run directory stays: anything else (another directory of that name pattern included, which
      // would carry 64 bits of a caller's choosing in its name) goes.
      const kept = new Set<string>();
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        const recorded = entry.isDirectory() ? runDirs.get(path) : undefined;
        if (recorded) {
          await clearRunDir(path, recorded);
          kept.add(path);
        } else {
          await rm(path, { recursive: true, force: true });
        }
      }
      // A run that removed or replaced it: made again, where the restored guest expects it.
      for (const [path, recorded] of runDirs) {
        if (kept.has(path)) continue;
        await mkdir(path);
        await utimes(path, recorded.atime, recorded.mtime);
      }
    };
    const renew = async () => {
      try {
        // What the last program left anywhere in its /workspace goes with its instance.
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir);
      } catch {
        dispose();
        return false;
      }
      const renewed = await worker.renew();
      if (!renewed) dispose();
      else runDirs = recordRunDirs(dir);
      return renewed;
    };
    return { worker, dir, dispose, clear, renew };
  } catch (error) {
    removeDir();
    throw error;
  }
}

/**
 * The Python guest's stateless run directory outlives the run in its (restored) state, and the guest empties it
 * after each run. Not even its size or times may tell the next caller what the last run did in it: an empty one of
 * the size it had after the warm-up gets those times back (one syscall), anything else is made anew (rmdir and mkdir
 * cost 0.2-0.9 ms a run) with those times.
 */
async function clearRunDir(path: string, recorded: Stats) {
  if ((await lstat(path)).size !== recorded.size || (await readdir(path)).length > 0) {
    await rm(path, { recursive: true, force: true });
    await mkdir(path);
  }
  await utimes(path, recorded.atime, recorded.mtime);
}

/** The run directories in a sandbox's workspace (the Python guest's one, after its warm-up), by path. */
function recordRunDirs(dir: string): Map<string, Stats> {
  const recorded = new Map<string, Stats>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && RUN_DIR.test(entry.name)) recorded.set(join(dir, entry.name), lstatSync(join(dir, entry.name)));
  }
  return recorded;
}

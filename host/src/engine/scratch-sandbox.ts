// A sandbox for stateless runs: a worker whose /workspace is a fresh scratch directory of its own, both removed
// together. Pooled sandboxes (pool.ts) and the one-run sandboxes of runs with mounts (dedicated.ts) are made here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxWorker } from './sandbox-worker.js';
import type { LanguageName, MountSpec } from './protocol.js';

export interface ScratchSandboxOptions {
  language: LanguageName;
  memoryCapBytes: number;
  env: Record<string, string>;
  mounts?: readonly MountSpec[];
  /** Where the scratch directory is created (default: the OS temp directory). */
  scratchRoot?: string;
}

export interface ScratchSandbox {
  worker: SandboxWorker;
  dir: string;
  /** Stops the worker and removes its scratch directory. */
  dispose(): void;
}

export async function startScratchSandbox(options: ScratchSandboxOptions): Promise<ScratchSandbox> {
  const dir = mkdtempSync(join(options.scratchRoot ?? tmpdir(), `golem-exec-${options.language}-`));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    const worker = await SandboxWorker.start({
      language: options.language,
      memoryCapBytes: options.memoryCapBytes,
      preopens: { '/workspace': dir },
      mounts: options.mounts,
      env: options.env,
    });
    return { worker, dir, dispose: () => (worker.terminate(), removeDir()) };
  } catch (error) {
    removeDir();
    throw error;
  }
}

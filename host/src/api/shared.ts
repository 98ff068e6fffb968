// The one-call convenience: `run()` on a process-wide Executor created on first use.
import { Executor } from './executor.js';
import type { RunOptions, RunResult } from './types.js';

let shared: Executor | undefined;

/** Runs a program on a process-wide shared Executor (created on first use). */
export function run(options: RunOptions): Promise<RunResult> {
  shared ??= new Executor();
  return shared.run(options);
}

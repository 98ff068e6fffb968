// What the main thread sends the data-work interpreter's worker, and what it answers (one run per worker).
import type { MessagePort } from 'node:worker_threads';
import type { CallLimits } from '../protocol.js';

/** The name the glue asks for the interpreter by (its stand-in's, scripts/build-data-python.mjs). */
export const INTERPRETER_MODULE = 'interpreter.core.wasm';

export interface DataWorkerInit {
  /** The jco glue (build/jco/data-python/interpreter.js). */
  glue: string;
  /** The glue's core modules, compiled in the main thread; INTERPRETER_MODULE is python.wasm, its memory capped. */
  modules: Record<string, WebAssembly.Module>;
  /** Guest path → host directory; the workspace first. */
  preopens: Record<string, string>;
  readOnlyPreopens: string[];
  /** Host directories whose files the disk quota counts (the workspace). */
  countedDirs: string[];
  /** The WASI arguments (argv[0] first) and environment. */
  args: string[];
  env: Record<string, string>;
  stdin: Uint8Array;
  limits: CallLimits;
  /** output-tail.ts: what the run prints, kept where it survives the worker's termination. */
  outputTail: SharedArrayBuffer;
  /**
   * A streamed run's: its output is posted as `chunk` messages as it is written (capped live, output-cap.ts), the
   * worker waiting while MAX_CHUNKS_IN_FLIGHT (engine/protocol.ts) are not yet taken (counted in `chunksInFlight`).
   */
  live?: { chunksInFlight: SharedArrayBuffer };
  /**
   * A streamed run without given stdin reads what the caller writes: DataStdinMessages on `port`, `signal`'s counter
   * bumped after each (the worker sleeps on it while it has nothing to read).
   */
  liveStdin?: { port: MessagePort; signal: SharedArrayBuffer };
}

export type DataStdinMessage = { type: 'data'; data: Uint8Array } | { type: 'end' };

export type DataWorkerReply =
  | { type: 'chunk'; stream: 'stdout' | 'stderr'; data: Uint8Array }
  | { type: 'exit'; exitCode: number; memoryBytes: number; timeMs: number }
  /** The instance trapped (`unreachable` after an abort, a memory access out of bounds, the native stack's end). */
  | { type: 'trap'; message: string; memoryBytes: number; stackOverflow: boolean };

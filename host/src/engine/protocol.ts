// Messages between the library (main thread) and a sandbox worker thread that owns one component instance.
// Values cross as structured clones; WIT values keep jco's shapes (records as camelCase objects, variants as
// `{ tag, val }`, options as `T | undefined`, list<u8> as Uint8Array).

import type { MessagePort } from 'node:worker_threads';
import type * as WitExecutor from './wit/interfaces/golem-exec-executor.js';
import type * as WitRepl from './wit/interfaces/golem-exec-repl.js';
import type * as WitFiles from './wit/interfaces/golem-exec-files.js';
import type { Error as WitError, LanguageKind } from './wit/interfaces/golem-exec-types.js';

export type LanguageName = LanguageKind;

type DropFirst<T extends unknown[]> = T extends [unknown, ...infer Rest] ? Rest : never;

/** A host directory preopened at a guest path beside the workspace (validated and resolved by the library). */
export interface MountSpec {
  /** Absolute, symlink-free host path of an existing directory. */
  hostPath: string;
  /** Absolute, normalised guest path, never `/` nor at or below `/workspace`. */
  guestPath: string;
  readOnly: boolean;
}

/** What a worker needs to instantiate its component. */
export interface WorkerInit {
  language: LanguageName;
  /** Absolute path of the jco-transpiled component's entry module (build/jco/<lang>/exec-<lang>.js). */
  bindings: string;
  /** Guest path → host directory. The first entry is the component's workspace; the others are host mounts. */
  preopens: Record<string, string>;
  /** Guest paths of the preopens the host keeps read-only (enforced in wasi/filesystem.ts). */
  readOnlyPreopens: string[];
  /** The instance's environment (EXEC_* defaults only: programs get the env of each call). */
  env: Record<string, string>;
  /** Limits of calls that give none (the host's defaults); see CallLimits. */
  limits: CallLimits;
  /** Each instance runs one program and is then renewed, never reset (`fresh` runs, runs with mounts). */
  singleUse: boolean;
  /** Throwaway runs before the instance reports ready (worker-main.ts `warmUp`): 0 where the next run is waiting. */
  warmUpRuns: number;
  /** Int32 flag the main thread bumps (and notifies) after posting stdin, so a blocked guest read wakes up. */
  stdinSignal: SharedArrayBuffer;
  stdinPort: MessagePort;
  /**
   * Int32 count of `chunk` messages the worker posted that the main thread has not received yet: the worker waits while
   * it is at MAX_CHUNKS_IN_FLIGHT, so a program's writes cannot pile up in the message queue faster than they are taken.
   */
  chunksInFlight: SharedArrayBuffer;
  /** Where the worker keeps what the current call printed so far (output-tail.ts). */
  outputTail: SharedArrayBuffer;
}

/**
 * The worker's first message: the component's core modules, compiled once per process in the main thread (memory
 * already capped) while the worker thread starts and loads the glue.
 */
export interface WorkerModules {
  modules: Record<string, WebAssembly.Module>;
  /** Every core module exported its state (wasm/state-exports.ts): the instance can be reset in place. */
  stateExported: boolean;
}

/**
 * How many live-output messages may wait for the main thread. Without a bound, a program making one-byte writes
 * posted them faster than the main thread took them: ~150 bytes of queued message per byte written (issue 14).
 */
export const MAX_CHUNKS_IN_FLIGHT = 64;

/** A call of the WIT `executor` interface (its argument lists as jco's types give them), or of the guest session. */
export type WitCall =
  | { op: 'run'; args: Parameters<typeof WitExecutor.run> }
  | { op: 'run-streaming'; args: Parameters<typeof WitExecutor.runStreaming> }
  | { op: 'session.create'; args: ConstructorParameters<typeof WitExecutor.Session> }
  | { [M in SessionMethod]: { op: 'session.call'; method: M; args: Parameters<WitExecutor.Session[M]> } }[SessionMethod]
  /** The `repl` interface's eval, in the worker's guest session (the session argument is the worker's). */
  | { op: 'session.eval'; args: DropFirst<Parameters<typeof WitRepl.eval>> }
  /** The `files` interface's remove, in the worker's guest session. */
  | { op: 'session.remove'; args: DropFirst<Parameters<typeof WitFiles.remove>> }
  /** Not a WIT call: replace the worker's instance with a new, warmed-up one (see SandboxWorker.renew). */
  | { op: 'renew' }
  /** Not a WIT call: record the instance's state now as the one every `reset` returns to (instance-state.ts). */
  | { op: 'checkpoint' }
  /**
   * Not a WIT call: put the instance back into the recorded state. Replies `true` if it was; otherwise, with `renew`,
   * the worker replaces its instance (and replies `true`), without, it replies `false` and must not be used again.
   */
  | { op: 'reset'; renew: boolean };

/** Limits the sandbox thread enforces itself, on the bytes that leave the guest (host WASI, output). */
export interface CallLimits {
  /** Per stream: stdout and stderr beyond this are cut, with one marker line. */
  outputBytes: number;
  /** The largest any file may become. */
  fileSizeBytes: number;
  /** The most bytes the sandbox's writable files may take together (the run's, or the session's). */
  diskBytes: number;
}

export type SessionMethod = 'upload' | 'run' | 'runStreaming' | 'download' | 'listFiles' | 'setWorkingDir' | 'close';

export interface CallRequest {
  id: number;
  call: WitCall;
  /** Forward what the guest writes to its own stdout/stderr as `chunk` messages (streamed runs). */
  live: boolean;
  /** This call's limits (default: the worker's). */
  limits?: CallLimits;
}

export type WorkerMessage =
  | { type: 'ready'; memoryBytes: number }
  | { type: 'chunk'; id: number; stream: 'stdout' | 'stderr'; data: Uint8Array }
  /**
   * `memoryBytes`: the instance's linear memory now (it only grows); `runMemoryBytes`: what of it this call accounts
   * for (the recorded state's size plus what the call grew), so that no result tells how much an earlier run used.
   */
  | { type: 'reply'; id: number; outcome: CallOutcome; memoryBytes: number; runMemoryBytes?: number };

export type CallOutcome =
  /** The WIT call returned (for `result<T, error>`: the ok value). */
  | { kind: 'ok'; value: unknown }
  /** The WIT call returned `err(error)`. */
  | { kind: 'err'; error: WitError }
  /** The instance trapped (or the binding threw): it is unusable from now on. */
  | {
      kind: 'trap';
      message: string;
      /**
       * V8 ran out of the sandbox thread's native stack: a recursion the guest does not count (CPython's check covers
       * C recursion, not e.g. freeing a list nested millions deep), so a limit of the sandbox reached.
       */
      stackOverflow?: boolean;
    };

/** Input for the guest's own stdin, for the call with id `id` (stale input of an earlier call is dropped). */
export type StdinMessage = { type: 'data'; id: number; data: Uint8Array } | { type: 'end'; id: number };

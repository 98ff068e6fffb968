// The main thread's handle on one sandbox worker thread (one component instance). Calls run one at a time; each has
// a deadline at which the thread is terminated, whatever the guest is doing: that is how a run's time limit is
// enforced (the guests run no deadline checks of their own under this host). A terminated or trapped worker is dead
// and its owner replaces it.
import { MessageChannel, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { bindingsEntry, coreModules } from './core-modules.js';
import { allocateOutputTail, readOutputTail } from './output-tail.js';
import type { CallLimits, CallOutcome, CallRequest, LanguageName, MountSpec, StdinMessage, WitCall, WorkerInit, WorkerMessage, WorkerModules } from './protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.js', import.meta.url));
/** A new instance plus its warm-up hello-world takes 30-200 ms; past this the worker is assumed stuck. */
const RENEW_DEADLINE_MS = 30_000;
/**
 * The sandbox thread's native stack (Node's default for a worker is 4 MB). Guest code runs on it: every wasm call is a
 * frame of V8's, and a wasm frame takes far more of it than the guest's own (shadow) stack in linear memory does.
 * CPython protects itself against deep C recursion by measuring the shadow stack only (RecursionError within ~1 MB of
 * it: its wasi-libc stack), and reaching that limit took 16-32 MB of this stack in the deepest cases measured
 * (`repr`/`==` of nested lists, recursion through `__init__` or `__getattr__`): at 4 MB the thread died with "Maximum
 * call stack size exceeded" first. Only the pages a deep recursion touches become resident. The guest's calls run on
 * this stack on every Node version: jco's bindings call the exports directly (the `WebAssembly.promising` wrappers
 * they make of realloc and post-return where JSPI exists are never called), so no JSPI stack is involved.
 */
export const SANDBOX_STACK_MB = 64;

export interface SandboxWorkerOptions {
  language: LanguageName;
  memoryCapBytes: number;
  /** The workspace: `{ '/workspace': hostDir }`. */
  preopens: Record<string, string>;
  /** Host directories preopened after the workspace, at their guest paths. */
  mounts?: readonly MountSpec[];
  env: Record<string, string>;
  /** Host-enforced limits of calls that give none. */
  limits: CallLimits;
  /** Each instance runs one program, then is renewed or stopped (never reset): no state is recorded. */
  singleUse?: boolean;
  /**
   * Throwaway runs before the sandbox reports ready (default: 3, or 1 when single-use; see worker-main.ts `warmUp`).
   * 0 where a run is already waiting for this sandbox: a warm-up would only move the first run's costs ahead of it.
   */
  warmUpRuns?: number;
}

/** What a call printed before it was stopped (capped at the call's output limit, with the marker). */
export interface PrintedOutput {
  stdout: string;
  stderr: string;
}

/**
 * `output`: what the call printed, where its result carries none (the worker was terminated or trapped, or the guest
 * returned an error without a stage result: its own `timeout` / `resource-exceeded`).
 */
export type CallResult =
  | { outcome: CallOutcome; memoryBytes: number; hardTimeout?: false; cancelled?: false; output?: PrintedOutput }
  /** The backstop fired: the worker was terminated. */
  | { hardTimeout: true; memoryBytes: number; cancelled?: false; output: PrintedOutput }
  /** The caller's AbortSignal fired: the worker was terminated. */
  | { hardTimeout?: false; cancelled: true; memoryBytes: number; output: PrintedOutput };

export interface CallOptions {
  /** Terminate the worker if the call has not returned after this many ms. */
  deadlineMs: number;
  onChunk?: (stream: 'stdout' | 'stderr', data: Uint8Array) => void;
  /** Aborting terminates the worker (the only way to stop guest code that is running). */
  signal?: AbortSignal;
  /** Host-enforced limits of this call (default: the worker's). */
  limits?: CallLimits;
}

export class SandboxWorker {
  readonly language: LanguageName;
  readonly memoryCapBytes: number;
  /** Linear memory of the instance after its last call (it only grows). */
  memoryBytes = 0;
  /** What of it the last call accounts for (see the `reply` message): the memory a result reports. */
  runMemoryBytes = 0;
  dead = false;
  private worker!: Worker;
  private nextId = 1;
  private pending: { id: number; resolve: (result: CallResult) => void; options: CallOptions } | undefined;
  private stdinPort!: MessageChannel['port1'];
  private stdinSignal = new Int32Array(new SharedArrayBuffer(4));
  private chunksInFlight = new Int32Array(new SharedArrayBuffer(4));
  private outputTail!: SharedArrayBuffer;

  private constructor(options: SandboxWorkerOptions) {
    this.language = options.language;
    this.memoryCapBytes = options.memoryCapBytes;
  }

  /** Starts a worker and waits until its instance is ready. */
  static async start(options: SandboxWorkerOptions): Promise<SandboxWorker> {
    const sandbox = new SandboxWorker(options);
    await sandbox.spawn(options);
    return sandbox;
  }

  private async spawn(options: SandboxWorkerOptions) {
    // The thread starts and loads the jco glue while the core modules compile (once per process): they are its first
    // message. With no warm-up where a run is waiting, a one-run process (the CLI) went from 1.01 to 0.87 s (Python).
    const compiling = coreModules(options.language, options.memoryCapBytes);
    const channel = new MessageChannel();
    this.stdinPort = channel.port1;
    this.outputTail = allocateOutputTail(options.limits.outputBytes);
    this.worker = new Worker(WORKER_ENTRY, {
      workerData: {
        language: options.language,
        bindings: bindingsEntry(options.language),
        singleUse: options.singleUse ?? false,
        warmUpRuns: options.warmUpRuns ?? (options.singleUse ? 1 : 3),
        limits: options.limits,
        // The workspace stays the first preopen: both guests take the first one as theirs.
        preopens: { ...options.preopens, ...Object.fromEntries((options.mounts ?? []).map((m) => [m.guestPath, m.hostPath])) },
        readOnlyPreopens: (options.mounts ?? []).filter((m) => m.readOnly).map((m) => m.guestPath),
        env: options.env,
        stdinSignal: this.stdinSignal.buffer,
        chunksInFlight: this.chunksInFlight.buffer,
        stdinPort: channel.port2,
        outputTail: this.outputTail,
      } satisfies WorkerInit,
      transferList: [channel.port2],
      // The guest's stdout/stderr reach us as messages; the worker's own stdio is for host-side diagnostics only.
      stdout: false,
      stderr: false,
      resourceLimits: { stackSizeMb: SANDBOX_STACK_MB },
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(new Error(`the ${options.language} sandbox failed to start: ${error.message}`));
      this.worker.once('error', onError);
      this.worker.once('message', (message: WorkerMessage) => {
        this.worker.off('error', onError);
        if (message.type === 'ready') {
          this.memoryBytes = message.memoryBytes;
          resolve();
        } else reject(new Error(`unexpected first message from the sandbox: ${message.type}`));
      });
    });
    ready.catch(() => undefined); // awaited below, after the modules are sent (a start failure is reported there)
    try {
      const { modules, stateExported } = await compiling;
      this.worker.postMessage({ modules, stateExported } satisfies WorkerModules);
    } catch (error) {
      void this.worker.terminate();
      throw error;
    }
    await ready;
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error) => this.fail(`the sandbox thread crashed: ${error.message}`));
    this.worker.on('exit', () => this.fail('the sandbox thread exited'));
    this.worker.unref();
  }

  private onMessage(message: WorkerMessage) {
    if (message.type === 'chunk') {
      // Taken: the worker may post another (protocol.ts MAX_CHUNKS_IN_FLIGHT).
      Atomics.sub(this.chunksInFlight, 0, 1);
      Atomics.notify(this.chunksInFlight, 0);
    }
    const pending = this.pending;
    if (!pending) return;
    if (message.type === 'chunk' && message.id === pending.id) pending.options.onChunk?.(message.stream, message.data);
    if (message.type === 'reply' && message.id === pending.id) {
      this.pending = undefined;
      this.memoryBytes = message.memoryBytes;
      this.runMemoryBytes = message.runMemoryBytes ?? message.memoryBytes;
      const { outcome } = message;
      if (outcome.kind === 'trap') this.dead = true;
      const printedOnly = outcome.kind === 'trap' || (outcome.kind === 'err' && (outcome.error.tag === 'timeout' || outcome.error.tag === 'resource-exceeded'));
      pending.resolve({ outcome, memoryBytes: message.memoryBytes, output: printedOnly ? this.printed() : undefined });
    }
  }

  private fail(message: string) {
    this.dead = true;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ outcome: { kind: 'trap', message }, memoryBytes: this.memoryBytes, output: this.printed() });
  }

  /** What the call in progress (or the one just stopped) has printed so far. */
  private printed(): PrintedOutput {
    return readOutputTail(this.outputTail);
  }

  /** Executes one WIT call; never rejects (a crash is a `trap` outcome, the backstop a `hardTimeout`). */
  call(call: WitCall, options: CallOptions, live = false): Promise<CallResult> {
    if (this.dead) {
      return Promise.resolve({ outcome: { kind: 'trap', message: 'the sandbox is gone' }, memoryBytes: this.memoryBytes });
    }
    if (this.pending) throw new Error('internal: a sandbox worker runs one call at a time');
    const id = this.nextId++;
    return new Promise<CallResult>((resolve) => {
      const stop = (result: CallResult) => {
        if (this.pending?.id !== id) return;
        this.pending = undefined;
        this.terminate();
        finish(result);
      };
      // Read before the worker is terminated: what it wrote is in the shared tail, whatever the guest was doing.
      const timer = setTimeout(() => stop({ hardTimeout: true, memoryBytes: this.memoryBytes, output: this.printed() }), options.deadlineMs);
      const onAbort = () => stop({ cancelled: true, memoryBytes: this.memoryBytes, output: this.printed() });
      const finish = (result: CallResult) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      this.pending = { id, options, resolve: finish };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.postMessage({ id, call, live, limits: options.limits } satisfies CallRequest);
    });
  }

  /**
   * Gives this worker a new component instance in place of the one it has (no new thread): what a `fresh: true`
   * run's sandbox does after its run, so the next fresh run finds a never-used instance. False if the worker is dead
   * or the new instance failed to start (the caller replaces the worker then).
   */
  async renew(): Promise<boolean> {
    const result = await this.call({ op: 'renew' }, { deadlineMs: RENEW_DEADLINE_MS });
    if ('outcome' in result && result.outcome.kind === 'ok') return true;
    this.terminate();
    return false;
  }

  /** Records the instance's state now as the one `reset` returns to (a session worker, once its session is set up). */
  async checkpoint(): Promise<boolean> {
    const result = await this.call({ op: 'checkpoint' }, { deadlineMs: RENEW_DEADLINE_MS });
    return 'outcome' in result && result.outcome.kind === 'ok';
  }

  /**
   * Puts the instance back into its recorded state (instance-state.ts). With `renew`, an instance that cannot be put
   * back is replaced in this thread. False if neither happened: the worker is terminated, its owner replaces it.
   */
  async reset({ renew }: { renew: boolean }): Promise<boolean> {
    const result = await this.call({ op: 'reset', renew }, { deadlineMs: RENEW_DEADLINE_MS });
    if ('outcome' in result && result.outcome.kind === 'ok' && result.outcome.value === true) return true;
    this.terminate();
    return false;
  }

  /**
   * Sends bytes to the guest's own stdin, for the call in progress (a streamed run that was given no stdin). Tagged
   * with the call's id so that input a finished run did not read never reaches the next one.
   */
  writeStdin(data: Uint8Array) {
    if (!this.pending) return;
    this.stdinPort.postMessage({ type: 'data', id: this.pending.id, data } satisfies StdinMessage);
    this.wake();
  }

  endStdin() {
    if (!this.pending) return;
    this.stdinPort.postMessage({ type: 'end', id: this.pending.id } satisfies StdinMessage);
    this.wake();
  }

  private wake() {
    Atomics.add(this.stdinSignal, 0, 1);
    Atomics.notify(this.stdinSignal, 0);
  }

  terminate() {
    this.dead = true;
    void this.worker.terminate();
  }
}

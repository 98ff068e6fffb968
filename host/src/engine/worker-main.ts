// A sandbox worker thread: owns one component instance (and, for a session worker, the one guest session in it) and
// executes WIT calls for the main thread. Guest calls are synchronous, so a runaway program blocks only this thread;
// the main thread stops it at the time limit by terminating it (see sandbox-worker.ts). Between runs the main thread
// has the instance put back into its recorded state (`reset`, instance-state.ts); what leaves the guest (output, file
// writes) is capped here, in the host, where the guest cannot reach the counters.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { withCheapJspiProbe } from './jspi-probe.js';
import { CLOSED, InputStream, OutputStream, Pollable, createWasi, type Wasi } from './wasi/index.js';
import { InstanceState } from './instance-state.js';
import { LiveCap, capStages, capText } from './output-cap.js';
import { OutputTailWriter } from './output-tail.js';
import { MAX_CHUNKS_IN_FLIGHT, type CallLimits, type CallOutcome, type CallRequest, type StdinMessage, type WorkerInit, type WorkerMessage, type WorkerModules } from './protocol.js';
import type * as WitExecutor from './wit/interfaces/golem-exec-executor.js';
import type * as WitRepl from './wit/interfaces/golem-exec-repl.js';
import type * as WitFiles from './wit/interfaces/golem-exec-files.js';
import type { ExecEvent } from './wit/interfaces/golem-exec-types.js';
import { ENTRY_FILE, WORKSPACE_PATH } from './guest-layout.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
/** The core modules arrive as the first message, compiled in the main thread while this thread started. */
const { modules, stateExported } = await new Promise<WorkerModules>((resolve) => port.once('message', resolve));

/** The request being executed; live output is attributed to it. */
let current: CallRequest | undefined;
/** The live output cap of the request being executed. */
let liveCap: LiveCap | undefined;
/** The instance's exported linear memory (captured at instantiation) for memory-bytes. */
let memory: WebAssembly.Memory | undefined;
const memoryBytes = () => memory?.buffer.byteLength ?? 0;
/** The linear memory's size in the recorded state (what a run starts from, as far as it can tell). */
let recordedMemoryBytes = 0;

// Stdio are the WASI stream classes of wasi/ (jco checks `instanceof` against the classes of the import object).

/** What the current call printed so far, in memory the main thread keeps when it terminates this thread. */
const tail = new OutputTailWriter(init.outputTail);
/** Live chunks posted and not yet taken by the main thread (protocol.ts MAX_CHUNKS_IN_FLIGHT). */
const chunksInFlight = new Int32Array(init.chunksInFlight);

/**
 * The component's own stdout/stderr (the guests write every run's output there, EXEC_MIRROR_OUTPUT): kept in the
 * output tail, and forwarded to the main thread while a streamed call runs.
 */
class ForwardingOutput extends OutputStream {
  constructor(private readonly name: 'stdout' | 'stderr') {
    super();
  }
  override write(buf: Uint8Array) {
    if (!current) return;
    tail.append(this.name, buf);
    if (!current.live) return;
    const data = liveCap?.admit(this.name, buf);
    if (!data) return;
    Atomics.add(chunksInFlight, 0, 1);
    post({ type: 'chunk', id: current.id, stream: this.name, data: data.slice() });
    // Backpressure: the guest waits here while the main thread has MAX_CHUNKS_IN_FLIGHT of its messages still to take
    // (the run's time limit still applies: the main thread terminates this thread at it).
    for (let inFlight = Atomics.load(chunksInFlight, 0); inFlight >= MAX_CHUNKS_IN_FLIGHT; inFlight = Atomics.load(chunksInFlight, 0)) {
      Atomics.wait(chunksInFlight, 0, inFlight, 1000);
    }
  }
}

/**
 * The component's own stdin: bytes the main thread sends for the current streamed run. A read blocks this thread
 * (Atomics.wait) until data or end arrives; the main thread's backstop still applies while it waits.
 */
class ForwardedStdin extends InputStream {
  private buffered: Uint8Array[] = [];
  private ended = false;
  private readonly signal = new Int32Array(init.stdinSignal);
  /** Takes what the main thread sent; with `timeoutMs` > 0, first waits up to that long for something to arrive. */
  private pump(timeoutMs: number) {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      let received = false;
      for (let msg; (msg = receiveMessageOnPort(init.stdinPort as MessagePort)); ) {
        const message = msg.message as StdinMessage;
        if (message.id !== current?.id) continue;
        if (message.type === 'data') this.buffered.push(message.data);
        else this.ended = true;
        received = true;
      }
      if (received || timeoutMs <= 0 || this.available()) return;
      if (Atomics.wait(this.signal, 0, seen, timeoutMs) === 'timed-out') timeoutMs = 0;
    }
  }
  private available() {
    return this.ended || this.buffered.length > 0;
  }
  /** Each call starts with an empty, open stdin. */
  reset() {
    this.buffered = [];
    this.ended = false;
  }
  private take(len: bigint): Uint8Array {
    const first = this.buffered[0];
    if (!first) {
      if (this.ended) throw CLOSED;
      return new Uint8Array(0);
    }
    const n = Math.min(Number(len), first.length);
    if (n === first.length) this.buffered.shift();
    else this.buffered[0] = first.subarray(n);
    return first.subarray(0, n);
  }
  override read(len: bigint) {
    this.pump(0);
    return this.take(len);
  }
  override blockingRead(len: bigint) {
    this.pump(Infinity);
    return this.take(len);
  }
  /** Ready when input (or its end) has arrived; poll waits on the stdin signal (a guest polls before reading). */
  override subscribe() {
    return new Pollable(undefined, {
      ready: () => (this.pump(0), this.available()),
      wait: (timeoutMs) => this.pump(timeoutMs),
    });
  }
}

/** The WASI of the current instance (its open host files are closed when the instance is replaced). */
let wasi: Wasi | undefined;
/** What a reset puts back into the current instance. */
let state: InstanceState;

/** The workspace: what the disk quota counts (mounts are the caller's directories). */
const countedDirs = [init.preopens[WORKSPACE_PATH]].filter((dir): dir is string => dir !== undefined);

async function instantiate() {
  wasi?.close();
  state = new InstanceState();
  stdin = new ForwardedStdin();
  wasi = createWasi({
    preopens: init.preopens,
    readOnlyPreopens: init.readOnlyPreopens,
    env: init.env,
    stdin,
    stdout: new ForwardingOutput('stdout'),
    stderr: new ForwardingOutput('stderr'),
  });
  const bindings = await import(pathToFileURL(init.bindings).href);
  const instantiateCore = async (module: WebAssembly.Module, moduleImports?: WebAssembly.Imports) => {
    const instance = await WebAssembly.instantiate(module, moduleImports);
    state.track(instance);
    const exported = instance.exports.memory;
    if (!memory && exported instanceof WebAssembly.Memory) memory = exported;
    return instance;
  };
  const getCoreModule = (name: string) => {
    const module = modules[name];
    if (!module) throw new Error(`core module ${name} was not sent to the worker`);
    return module;
  };
  wasi.quota.recount(countedDirs);
  // The glue registers its handle tables in `golem-exec:glue` (scripts/transpile.mjs).
  const imports = { ...wasi.imports, 'golem-exec:glue': state.glue };
  return withCheapJspiProbe<{ executor: typeof WitExecutor; repl: typeof WitRepl; files: typeof WitFiles }>(() => bindings.instantiate(getCoreModule, imports, instantiateCore));
}

let stdin: ForwardedStdin;
let { executor, repl, files } = await instantiate();
let session: WitExecutor.Session | undefined;
/** The guest session is part of the recorded state (a session worker), not left over from a run (`cwd` runs). */
let sessionRecorded = false;

/** Records the instance's state as the one resets return to. */
function checkpoint() {
  state.record();
  recordedMemoryBytes = memoryBytes();
  sessionRecorded = session !== undefined;
}

/**
 * Puts the instance back into its recorded state; false if it could not be (the caller replaces it). A guest session
 * a run created (a `cwd` run's) is forgotten without running guest code: the reset discards it.
 */
function reset(): boolean {
  if (session && !sessionRecorded) {
    state.forget(session);
    session = undefined;
  }
  const restored = stateExported && state.restore();
  wasi!.quota.recount(countedDirs);
  return restored;
}

/**
 * Replaces the instance with a new one in this thread (a `fresh: true` run's sandbox after its run): new linear
 * memory, new WASI state, nothing of the old instance reachable. Cheaper than a new thread, which would import the
 * jco glue again; the core modules are compiled already.
 */
async function renew() {
  session = undefined;
  sessionRecorded = false;
  memory = undefined;
  ({ executor, repl, files } = await instantiate());
  warmUpAndRecord();
}

/** The guest session of this (session) worker; a call meant for one in a worker without one is a host bug. */
function guestSession(): WitExecutor.Session {
  if (!session) throw new Error('no session in this worker');
  return session;
}

function execute(request: CallRequest): CallOutcome {
  const { call } = request;
  try {
    switch (call.op) {
      case 'run':
        return { kind: 'ok', value: executor.run(...call.args) };
      case 'run-streaming':
        return { kind: 'ok', value: drain(executor.runStreaming(...call.args)) };
      case 'session.create':
        session = new executor.Session(call.args[0]);
        return { kind: 'ok', value: undefined };
      case 'session.call': {
        const session = guestSession();
        // One signature per method (protocol.ts); TypeScript cannot follow the correlation through the union.
        const method = session[call.method] as (...args: unknown[]) => unknown;
        const value = method.apply(session, call.args);
        return { kind: 'ok', value: call.method === 'runStreaming' ? drain(value as WitExecutor.ExecStream) : value };
      }
      case 'session.eval':
        return { kind: 'ok', value: repl.eval(guestSession(), ...call.args) };
      case 'session.remove':
        return { kind: 'ok', value: files.remove(guestSession(), ...call.args) };
      case 'checkpoint':
        checkpoint();
        return { kind: 'ok', value: undefined };
      case 'reset':
      case 'renew':
        throw new Error(`internal: ${call.op} is handled by the message loop`);
    }
  } catch (error: any) {
    // jco throws a ComponentError with `payload` for `err(...)` of a result; anything else is a trap.
    if (error && typeof error === 'object' && 'payload' in error && error.payload && 'tag' in error.payload) {
      return { kind: 'err', error: error.payload };
    }
    // Whether a trap was the memory cap is the caller's to tell from the memory's size (api/wit.ts). V8 reports the
    // end of the native stack as this RangeError (its only form).
    const stackOverflow = error instanceof RangeError && error.message === 'Maximum call stack size exceeded';
    return { kind: 'trap', message: String(error?.message ?? error), stackOverflow };
  }
}

/** Reads an exec-stream to its end; chunks were already forwarded live, so only the terminal event is returned. */
function drain(stream: WitExecutor.ExecStream): ExecEvent | undefined {
  let terminal: ExecEvent | undefined;
  try {
    for (let events = stream.blockingGetNext(); events.length > 0; events = stream.blockingGetNext()) {
      for (const event of events) if (event.tag === 'finished' || event.tag === 'failed') terminal = event;
    }
  } finally {
    stream[Symbol.dispose]();
  }
  return terminal;
}

function replyAfterRenew(id: number) {
  renew().then(
    () => post({ type: 'reply', id, outcome: { kind: 'ok', value: true }, memoryBytes: memoryBytes() }),
    (error) => post({ type: 'reply', id, outcome: { kind: 'trap', message: String(error?.message ?? error) }, memoryBytes: 0 }),
  );
}

/** The host-side limits of a call, applied to this instance's WASI before the guest runs. */
function applyLimits(limits: CallLimits) {
  wasi!.quota.fileSizeBytes = limits.fileSizeBytes;
  wasi!.quota.diskBytes = limits.diskBytes;
}

port.on('message', (request: CallRequest) => {
  const { call } = request;
  if (call.op === 'renew') return replyAfterRenew(request.id);
  if (call.op === 'reset') {
    if (reset()) return post({ type: 'reply', id: request.id, outcome: { kind: 'ok', value: true }, memoryBytes: memoryBytes() });
    if (call.renew) return replyAfterRenew(request.id);
    return post({ type: 'reply', id: request.id, outcome: { kind: 'ok', value: false }, memoryBytes: memoryBytes() });
  }
  const limits = request.limits ?? init.limits;
  current = request;
  liveCap = new LiveCap(limits.outputBytes);
  tail.start(limits.outputBytes);
  applyLimits(limits);
  stdin.reset();
  const before = memoryBytes();
  const outcome = execute(request);
  const runMemoryBytes = recordedMemoryBytes + memoryBytes() - before;
  current = undefined;
  liveCap = undefined;
  if (outcome.kind === 'trap') outcome.message = capText(outcome.message, 'message', limits.outputBytes);
  else capStages(outcome.kind === 'ok' ? outcome.value : outcome.error, limits.outputBytes);
  post({ type: 'reply', id: request.id, outcome, memoryBytes: memoryBytes(), runMemoryBytes });
});
/**
 * Throwaway runs before the sandbox reports ready, and before its state is recorded. The first run of an instance pays
 * one-time costs (V8 compiling the wasm functions it reaches, the guest's lazily built state) of 35-80 ms; the next
 * few still warm the interpreters' caches in the guest's own code (SpiderMonkey's inline caches, CPython's specialised
 * bytecode), which the recorded state then keeps for every run: every run starts from the same warm state, never from
 * what an earlier run left. Measured: one warm-up left each run ~1.2 ms slower than 8 did; each costs ~10 ms of start-up,
 * so 3 are kept (not measured apart from 1 and 8). An instance that runs one program and is never reset needs only one
 * (a spare for `fresh` runs, warmed while no run waits), and one a run is already waiting for needs none (a run with
 * mounts, an Executor without a pool): the count is the owner's (SandboxWorkerOptions.warmUpRuns).
 */
const WARM_UP_RUNS = init.warmUpRuns;

/** Warms a new instance up, then records its state for the resets (unless it is single-use, never reset). */
function warmUpAndRecord() {
  warmUp();
  recordedMemoryBytes = memoryBytes();
  if (!init.singleUse) checkpoint();
}

function warmUp() {
  const name = ENTRY_FILE[init.language];
  for (let i = 0; i < WARM_UP_RUNS; i++) {
    // A new source each time: the guests' per-source caches are not what is being warmed.
    const source = init.language === 'python' ? `print("warm", ${i})` : `console.log("warm", ${i})`;
    try {
      executor.run({ kind: init.language }, [{ name, content: new TextEncoder().encode(source) }], undefined, [], [], undefined);
    } catch {
      // A failed warm-up only means the runs pay the cost instead.
    }
  }
}

applyLimits(init.limits);
warmUpAndRecord();
post({ type: 'ready', memoryBytes: memoryBytes() });

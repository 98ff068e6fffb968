// A sandbox worker thread: owns one component instance (and, for a session worker, the one guest session in it) and
// executes WIT calls for the main thread. Guest calls are synchronous, so a runaway program blocks only this thread;
// the main thread's backstop terminates it (see sandbox-worker.ts).
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { withCheapJspiProbe } from './jspi-probe.js';
import { CLOSED, InputStream, OutputStream, Pollable, createWasi, type Wasi } from './wasi/index.js';
import type { CallOutcome, CallRequest, StdinMessage, WorkerInit, WorkerMessage } from './protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

/** The request being executed; live output is attributed to it. */
let current: CallRequest | undefined;
/** The instance's exported linear memory (captured at instantiation) for memory-bytes. */
let memory: WebAssembly.Memory | undefined;
const memoryBytes = () => memory?.buffer.byteLength ?? 0;

// Stdio are the WASI stream classes of wasi/ (jco checks `instanceof` against the classes of the import object).

/** The component's own stdout/stderr: forwarded to the main thread while a streamed call runs, dropped otherwise. */
class ForwardingOutput extends OutputStream {
  constructor(private readonly name: 'stdout' | 'stderr') {
    super();
  }
  override write(buf: Uint8Array) {
    if (current?.live) post({ type: 'chunk', id: current.id, stream: this.name, data: buf.slice() });
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

async function instantiate() {
  wasi?.close();
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
    const exported = instance.exports.memory;
    if (!memory && exported instanceof WebAssembly.Memory) memory = exported;
    return instance;
  };
  const getCoreModule = (name: string) => {
    const module = init.modules[name];
    if (!module) throw new Error(`core module ${name} was not sent to the worker`);
    return module;
  };
  const { imports } = wasi;
  return withCheapJspiProbe<any>(() => bindings.instantiate(getCoreModule, imports, instantiateCore));
}

let stdin: ForwardedStdin;
let executor = (await instantiate()).executor;
let session: any;

/**
 * Replaces the instance with a new one in this thread (a `fresh: true` run's sandbox after its run): new linear
 * memory, new WASI state, nothing of the old instance reachable. Cheaper than a new thread, which would import the
 * jco glue again; the core modules are compiled already.
 */
async function renew() {
  session = undefined;
  memory = undefined;
  executor = (await instantiate()).executor;
  warmUp();
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
        if (!session) throw new Error('no session in this worker');
        const value = session[call.method](...call.args);
        return { kind: 'ok', value: call.method === 'runStreaming' ? drain(value) : value };
      }
      case 'renew':
        throw new Error('internal: renew is handled by the message loop');
    }
  } catch (error: any) {
    // jco throws a ComponentError with `payload` for `err(...)` of a result; anything else is a trap.
    if (error && typeof error === 'object' && 'payload' in error && error.payload && 'tag' in error.payload) {
      return { kind: 'err', error: error.payload };
    }
    const message = String(error?.message ?? error);
    const outOfMemory = /out of memory|memory access out of bounds|Cannot allocate|grow/i.test(message);
    return { kind: 'trap', message, outOfMemory };
  }
}

/** Reads an exec-stream to its end; chunks were already forwarded live, so only the terminal event is returned. */
function drain(stream: any): unknown {
  let terminal: unknown;
  try {
    for (let events = stream.blockingGetNext(); events.length > 0; events = stream.blockingGetNext()) {
      for (const event of events) if (event.tag === 'finished' || event.tag === 'failed') terminal = event;
    }
  } finally {
    stream[Symbol.dispose]?.();
  }
  return terminal;
}

port.on('message', (request: CallRequest) => {
  if (request.call.op === 'renew') {
    renew().then(
      () => post({ type: 'reply', id: request.id, outcome: { kind: 'ok', value: undefined }, memoryBytes: memoryBytes() }),
      (error) => post({ type: 'reply', id: request.id, outcome: { kind: 'trap', message: String(error?.message ?? error), outOfMemory: false }, memoryBytes: 0 }),
    );
    return;
  }
  current = request;
  stdin.reset();
  const outcome = execute(request);
  current = undefined;
  post({ type: 'reply', id: request.id, outcome, memoryBytes: memoryBytes() });
});
/**
 * One throwaway hello-world before the sandbox reports ready: the first run of an instance pays one-time costs (V8
 * compiling the wasm functions it reaches, the guest's lazily built state) of 35-80 ms, which a pooled sandbox pays
 * here, while it is still warming up, instead of in a user's run. Its output goes nowhere; the guest resets after it
 * as after any run.
 */
function warmUp() {
  const source = init.language === 'python' ? 'print("warm")' : 'console.log("warm")';
  const name = init.language === 'python' ? 'main.py' : 'main.js';
  try {
    executor.run({ kind: init.language }, [{ name, content: new TextEncoder().encode(source) }], undefined, [], [], undefined);
  } catch {
    // A failed warm-up only means the first user run pays the cost instead.
  }
}

warmUp();
post({ type: 'ready', memoryBytes: memoryBytes() });

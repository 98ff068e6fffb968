// The data-work interpreter's engine (main thread): compiles python.wasm once per process and memory cap, and runs
// each program in a worker thread of its own on a fresh instance (worker.ts), in a scratch directory of its own
// (`/workspace` with the run's files, `/tmp`), stopped by terminating the thread at its time limit.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../core-modules.js';
import { onceByKey } from '../memoize.js';
import { capMemory } from '../wasm/memory-cap.js';
import { allocateOutputTail, readOutputTail } from '../output-tail.js';
import { SANDBOX_STACK_MB, type PrintedOutput } from '../sandbox-worker.js';
import { WORKSPACE_PATH } from '../guest-layout.js';
import type { CallLimits, MountSpec } from '../protocol.js';
import { GUEST_ARGV0, GUEST_LIB, GUEST_MPL_DATA, SETUP_COMMAND, installedDataPython, type DataPythonFiles } from './artifacts.js';
import { INTERPRETER_MODULE, type DataStdinMessage, type DataWorkerInit, type DataWorkerReply } from './protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker.js', import.meta.url));
const GLUE_DIR = join(PACKAGE_ROOT, 'build', 'jco', 'data-python');
const GLUE = join(GLUE_DIR, 'interpreter.js');

/**
 * Where a program runs: a new scratch workspace holding `files` (a stateless run's; the entry first, names relative to
 * the workspace), or a directory that exists (a session's), whose file `entry` (relative to it) is the program.
 */
export type DataWorkspace = { files: { name: string; bytes: Uint8Array }[] } | { directory: string; entry: string };

export interface DataRun {
  workspace: DataWorkspace;
  args: string[];
  env: Record<string, string>;
  stdin: Uint8Array;
  /** The working directory relative to the workspace ('' for the workspace itself). */
  cwd: string;
  mounts: readonly MountSpec[];
  timeMs: number;
  memoryBytes: number;
  limits: CallLimits;
  signal?: AbortSignal;
  scratchRoot?: string;
  /** A streamed run's: receives the output as it is written (capped live as the component sandboxes'). */
  onChunk?: (stream: 'stdout' | 'stderr', data: Uint8Array) => void;
  /**
   * A streamed run without given stdin: called once the program runs with where the caller's input goes (in order;
   * `endStdin` is its end of file). The program's reads wait for it.
   */
  liveStdin?: (target: { writeStdin(data: Uint8Array): void; endStdin(): void }) => void;
}

export type DataRunOutcome =
  | { kind: 'exit'; exitCode: number; output: PrintedOutput; timeMs: number; memoryBytes: number }
  | { kind: 'trap'; message: string; stackOverflow: boolean; output: PrintedOutput; memoryBytes: number }
  | { kind: 'timeout'; output: PrintedOutput }
  | { kind: 'cancelled'; output: PrintedOutput };

/** Why the data-work interpreter cannot run here, as a sentence naming the fix. */
export class DataPythonUnavailableError extends Error {}

/** The installed interpreter, or throws the message that says how to install it. */
export function requireDataPython(): DataPythonFiles {
  const files = installedDataPython();
  if (!files) throw new DataPythonUnavailableError(`numpy, pandas and matplotlib run on golem-exec's data-work interpreter, which is not installed: run ${SETUP_COMMAND}`);
  return files;
}

const compiled = new Map<number, Promise<Record<string, WebAssembly.Module>>>();

/** The glue's core modules with python.wasm in its stand-in's place, its memory capped at `memoryCapBytes`. */
export function dataPythonModules(files: DataPythonFiles, memoryCapBytes: number): Promise<Record<string, WebAssembly.Module>> {
  return onceByKey(compiled, memoryCapBytes, () => compile(files, memoryCapBytes));
}

async function compile(files: DataPythonFiles, memoryCapBytes: number): Promise<Record<string, WebAssembly.Module>> {
  const names = readdirSync(GLUE_DIR).filter((name) => name.endsWith('.wasm') && name !== INTERPRETER_MODULE);
  const entries = await Promise.all(names.map(async (name) => [name, await WebAssembly.compile(await readFile(join(GLUE_DIR, name)))] as const));
  let interpreter: WebAssembly.Module;
  try {
    interpreter = await WebAssembly.compile(capMemory(new Uint8Array(await readFile(files.interpreter)), memoryCapBytes) as Uint8Array<ArrayBuffer>);
  } catch (error) {
    // Node 20's V8 knows neither the exception-handling (exnref) nor the GC value types the interpreter is built with.
    throw new DataPythonUnavailableError(`the data-work interpreter (numpy, pandas, matplotlib) needs Node 24 or later ` +
      `(WebAssembly exception handling and GC types); this is Node ${process.versions.node}: ${(error as Error).message}`);
  }
  return { ...Object.fromEntries(entries), [INTERPRETER_MODULE]: interpreter };
}

/**
 * A new scratch directory for the run: `tmp/` (at /tmp) and, for a run given its files, `workspace/` (at /workspace)
 * holding them; a session's run has its directory as the workspace.
 */
function scratch(run: DataRun): { root: string; workspace: string; tmp: string; entry: string } {
  const root = mkdtempSync(join(run.scratchRoot ?? tmpdir(), 'golem-exec-data-'));
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  if ('directory' in run.workspace) return { root, workspace: run.workspace.directory, tmp, entry: run.workspace.entry };
  const workspace = join(root, 'workspace');
  mkdirSync(workspace);
  for (const file of run.workspace.files) {
    const path = join(workspace, file.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.bytes);
  }
  return { root, workspace, tmp, entry: run.workspace.files[0]!.name };
}

/** Runs one program on a fresh interpreter instance; never rejects for what the program does. */
export async function runDataPython(run: DataRun): Promise<DataRunOutcome> {
  const files = requireDataPython();
  const modules = await dataPythonModules(files, run.memoryBytes);
  const dirs = scratch(run);
  const outputTail = allocateOutputTail(run.limits.outputBytes);
  const entry = `${WORKSPACE_PATH}/${dirs.entry}`;
  // CPython's working directory: wasi-libc starts at `/`; the program is started through a one-line prelude that
  // changes into the run's directory first, then runs the entry as `python ENTRY ARGS` would (runpy's own main path;
  // the entry's directory first on sys.path, as for `python ENTRY`).
  const cwd = run.cwd ? `${WORKSPACE_PATH}/${run.cwd}` : WORKSPACE_PATH;
  const prelude = `import os, runpy, sys; os.chdir(${JSON.stringify(cwd)}); sys.argv = sys.argv[1:]; ` +
    `sys.path.insert(0, os.path.dirname(sys.argv[0])); del os, runpy, sys; ` +
    `__import__('runpy').run_path(__import__('sys').argv[0], run_name='__main__')`;
  const init: DataWorkerInit = {
    glue: GLUE,
    modules,
    preopens: {
      [WORKSPACE_PATH]: dirs.workspace,
      '/tmp': dirs.tmp,
      [GUEST_LIB]: files.libDir,
      [GUEST_MPL_DATA]: files.mplData,
      ...Object.fromEntries(run.mounts.map((m) => [m.guestPath, m.hostPath])),
    },
    readOnlyPreopens: [GUEST_LIB, GUEST_MPL_DATA, ...run.mounts.filter((m) => m.readOnly).map((m) => m.guestPath)],
    countedDirs: [dirs.workspace, dirs.tmp],
    args: [GUEST_ARGV0, '-c', prelude, entry, ...run.args],
    env: run.env,
    stdin: run.stdin,
    limits: run.limits,
    outputTail,
  };
  const chunksInFlight = new Int32Array(new SharedArrayBuffer(4));
  if (run.onChunk) init.live = { chunksInFlight: chunksInFlight.buffer as SharedArrayBuffer };
  const stdinChannel = run.liveStdin ? new MessageChannel() : undefined;
  const stdinSignal = new Int32Array(new SharedArrayBuffer(4));
  if (stdinChannel) init.liveStdin = { port: stdinChannel.port2, signal: stdinSignal.buffer as SharedArrayBuffer };
  const worker = new Worker(WORKER_ENTRY, { workerData: init, transferList: stdinChannel ? [stdinChannel.port2] : [], stdout: false, stderr: false,
    resourceLimits: { stackSizeMb: SANDBOX_STACK_MB } });
  if (stdinChannel) {
    const send = (message: DataStdinMessage) => {
      stdinChannel.port1.postMessage(message);
      Atomics.add(stdinSignal, 0, 1);
      Atomics.notify(stdinSignal, 0);
    };
    run.liveStdin!({ writeStdin: (data) => send({ type: 'data', data }), endStdin: () => send({ type: 'end' }) });
  }
  try {
    return await new Promise<DataRunOutcome>((resolve) => {
      const printed = () => readOutputTail(outputTail);
      const stop = (kind: 'timeout' | 'cancelled') => {
        settled = true;
        void worker.terminate();
        resolve({ kind, output: printed() });
      };
      const timer = setTimeout(() => stop('timeout'), run.timeMs);
      const onAbort = () => stop('cancelled');
      if (run.signal?.aborted) onAbort();
      run.signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      const done = (outcome: DataRunOutcome) => {
        settled = true;
        clearTimeout(timer);
        run.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      worker.on('message', (reply: DataWorkerReply) => {
        if (reply.type === 'chunk') {
          // Taken: the worker may post another (engine/protocol.ts MAX_CHUNKS_IN_FLIGHT).
          Atomics.sub(chunksInFlight, 0, 1);
          Atomics.notify(chunksInFlight, 0);
          if (!settled) run.onChunk?.(reply.stream, reply.data);
        } else if (reply.type === 'exit') done({ kind: 'exit', exitCode: reply.exitCode, output: printed(), timeMs: reply.timeMs, memoryBytes: reply.memoryBytes });
        else done({ kind: 'trap', message: reply.message, stackOverflow: reply.stackOverflow, output: printed(), memoryBytes: reply.memoryBytes });
      });
      worker.once('error', (error) => done({ kind: 'trap', message: error.message, stackOverflow: /call stack/i.test(error.message), output: printed(), memoryBytes: 0 }));
      worker.once('exit', () => done({ kind: 'trap', message: 'the sandbox thread exited', stackOverflow: false, output: printed(), memoryBytes: 0 }));
    });
  } finally {
    stdinChannel?.port1.close();
    await worker.terminate();
    rmSync(dirs.root, { recursive: true, force: true });
  }
}

/** The interpreter's version line (`python 3.15.0`), from its MANIFEST. */
export function dataPythonVersion(files: DataPythonFiles): string {
  return readFileSync(join(files.dir, 'MANIFEST'), 'utf8').split('\n', 1)[0] ?? '';
}

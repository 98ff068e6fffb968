// Where does the time of one warm hello-world run go? Splits the library's per-run latency into
//   - the host: the worker thread's message round trip and the pool (library run vs a direct call on an instance
//     in this thread, and a bare worker ping-pong as the floor),
//   - the guest: its own work, and inside it the time spent in WASI host calls (every import of the component is
//     wrapped with a counter and a clock), with and without a preopened directory (files on disk vs in memory).
// Prints JSON and writes build/bench/profile.json (bench.mjs runs it and BENCHMARKS.md shows it).
//
//   node scripts/bench/profile-run.mjs [runs]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { summary } from './stats.mjs';
import { ROOT } from './subjects.mjs';
import { HELLO } from './workloads.mjs';

const RUNS = Number(process.argv[2] ?? 200);
const engine = (file) => import(pathToFileURL(join(ROOT, 'build', 'host', 'engine', file)).href);
const { ensureWasmFeatures } = await engine('node-flags.js');
const { coreModules, bindingsEntry } = await engine('core-modules.js');
const { createWasiImports, FileInputStream, FileOutputStream } = await engine('wasi/index.js');
ensureWasmFeatures();

/** Counters of host-call time, per import name, while `enabled`. */
const calls = new Map();
let enabled = false;
function wrap(owner, key, label) {
  if (typeof Object.getOwnPropertyDescriptor(owner, key)?.get === 'function') return;
  const original = owner[key];
  if (typeof original !== 'function' || original.__profiled) return;
  const wrapped = function (...args) {
    if (!enabled) return original.apply(this, args);
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const entry = calls.get(label) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += performance.now() - started;
      calls.set(label, entry);
    }
  };
  wrapped.__profiled = true;
  owner[key] = wrapped;
}
/**
 * Wraps every import function and every method of the resource classes the imports hand out (and of the file
 * streams, subclasses of wasi:io/streams' classes that override their methods).
 */
function instrument(imports) {
  const withFileStreams = { ...imports, 'wasi:io/streams#file': { FileInputStream, FileOutputStream } };
  for (const [ns, members] of Object.entries(withFileStreams)) {
    for (const [name, value] of Object.entries(members ?? {})) {
      if (typeof value !== 'function') continue;
      const proto = value.prototype;
      const methods = proto ? Object.getOwnPropertyNames(proto).filter((m) => m !== 'constructor') : [];
      if (methods.length > 0) for (const m of methods) wrap(proto, m, `${ns.replace(/@.*/, '')}#${name}.${m}`);
      else wrap(members, name, `${ns.replace(/@.*/, '')}#${name}`);
    }
  }
}

/** An instance in this thread with the host's WASI, like worker-main.ts builds one (stdio: unused by `run`). */
async function instantiate(language, preopens) {
  const imports = createWasiImports({ preopens, env: {} });
  instrument(imports);
  const { modules } = await coreModules(language, 256 * 2 ** 20);
  const bindings = await import(pathToFileURL(bindingsEntry(language)).href);
  const started = performance.now();
  const component = await bindings.instantiate((name) => modules[name], imports, (m, i) => WebAssembly.instantiate(m, i));
  return { executor: component.executor, instantiateMs: performance.now() - started };
}

const LIMITS = { timeMs: 5000n, memoryBytes: undefined, fileSizeBytes: undefined, maxProcesses: undefined };
const witLanguage = (language) => ({ kind: language, version: undefined });
const entry = (language) => (language === 'python' ? 'main.py' : 'main.js');

async function directRuns(language, preopens, code = HELLO[language]) {
  const { executor, instantiateMs } = await instantiate(language, preopens);
  const file = { name: entry(language), content: new TextEncoder().encode(code), encoding: undefined };
  // The same limits the library sends by default (witLimits in host/src/api/options.ts).
  const run = () => executor.run(witLanguage(language), [file], undefined, [], [], LIMITS);
  for (let i = 0; i < 20; i++) run();
  calls.clear();
  enabled = true;
  const samples = [];
  const guestMs = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = run();
    samples.push(performance.now() - started);
    guestMs.push(Number(result.timeMs));
  }
  enabled = false;
  const hostCallMs = [...calls.values()].reduce((sum, e) => sum + e.ms, 0) / RUNS;
  const top = [...calls.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)
    .map(([name, e]) => ({ name, perRun: e.count / RUNS, msPerRun: Number((e.ms / RUNS).toFixed(4)) }));
  return { instantiateMs, call: summary(samples), programTimeMs: summary(guestMs), wasiMsPerRun: hostCallMs, wasiCallsPerRun: [...calls.values()].reduce((s, e) => s + e.count, 0) / RUNS, topWasiCalls: top };
}

async function libraryRuns(language) {
  const { Executor } = await import(pathToFileURL(join(ROOT, 'build', 'host', 'index.js')).href);
  const exec = new Executor({ poolSize: 1 });
  const code = HELLO[language];
  for (let i = 0; i < 20; i++) await exec.run({ language, code });
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await exec.run({ language, code });
    samples.push(performance.now() - started);
  }
  await exec.close();
  return summary(samples);
}

/** The floor of any worker-based pool: a message to a thread and back. */
async function workerRoundTrip() {
  const worker = new Worker('const { parentPort } = require("node:worker_threads"); parentPort.on("message", (m) => parentPort.postMessage(m));', { eval: true });
  const ping = (message) => new Promise((resolve) => { worker.once('message', resolve); worker.postMessage(message); });
  const message = { id: 1, call: { op: 'run', args: [{ kind: 'javascript' }, [{ name: 'main.js', content: new TextEncoder().encode(HELLO.javascript) }], '', [], [], LIMITS] }, live: false };
  for (let i = 0; i < 100; i++) await ping(message);
  const samples = [];
  for (let i = 0; i < 1000; i++) {
    const started = performance.now();
    await ping(message);
    samples.push(performance.now() - started);
  }
  await worker.terminate();
  return summary(samples);
}

/** The pieces of a cold start, in this process: compiling the core modules, a worker with its instance, a first run. */
async function startup(language, dir) {
  const { SandboxWorker } = await engine('sandbox-worker.js');
  let started = performance.now();
  await coreModules(language, 256 * 2 ** 20);
  const compileMs = performance.now() - started;
  started = performance.now();
  const worker = await SandboxWorker.start({ language, memoryCapBytes: 256 * 2 ** 20, preopens: { '/workspace': dir }, env: {}, limits: { outputBytes: 2 ** 20, fileSizeBytes: 2 ** 26, diskBytes: 2 ** 28 } });
  const workerStartMs = performance.now() - started;
  const file = { name: entry(language), content: new TextEncoder().encode(HELLO[language]), encoding: undefined };
  started = performance.now();
  await worker.call({ op: 'run', args: [witLanguage(language), [file], undefined, [], [], LIMITS] }, { deadlineMs: 60_000 });
  const firstRunMs = performance.now() - started;
  started = performance.now();
  await worker.call({ op: 'run', args: [witLanguage(language), [file], undefined, [], [], LIMITS] }, { deadlineMs: 60_000 });
  const secondRunMs = performance.now() - started;
  worker.terminate();
  return { compileMs, workerStartMs, firstRunMs, secondRunMs };
}

const report = { runs: RUNS, workerRoundTrip: await workerRoundTrip() };
for (const language of ['javascript', 'python']) {
  const dir = mkdtempSync(join(tmpdir(), `golem-exec-profile-${language}-`));
  try {
    report[language] = {
      startup: await startup(language, dir),
      library: await libraryRuns(language),
      directWithPreopen: await directRuns(language, { '/workspace': dir }),
      directInMemory: await directRuns(language, {}),
      // The fixed cost of a run: a program that does nothing (no output, nothing to format).
      directInMemoryEmpty: await directRuns(language, {}, language === 'python' ? 'pass' : ''),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
mkdirSync(join(ROOT, 'build', 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'build', 'bench', 'profile.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));

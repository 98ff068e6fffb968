// `npm run bench`: measures our components (through the host library) and their peers, pair by pair in one run on
// this machine, then writes BENCHMARKS.md, BENCHMARKS.svg and build/bench/results.json.
//
//   node scripts/bench/bench.mjs [--quick] [--no-extra]
//     --quick     few repetitions (a smoke run, ~2 min; numbers are rough)
//     --no-extra  skip the other engineers' benchmarks (wasmtime, guest limits, service load)
//
// Every in-process subject is measured in a child process of its own (child.mjs); native peers are spawned
// (native.mjs). Sections run one after another, all subjects of a section together, so a pair is measured under
// the same machine load.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import * as native from './native.mjs';
import { lastJson, measureSpawn, parallelThroughput, runChild } from './proc.mjs';
import { runExtras } from './extras.mjs';
import { writeReport } from './report.mjs';
import { summary } from './stats.mjs';
import { ROOT, unavailable } from './subjects.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const EXTRA = !argv.includes('--no-extra');
const CORES = availableParallelism();

/** Every subject, in the order tables list them. `kind`: ours, peer (a sandbox users could pick), reference. */
export const SUBJECT_INFO = {
  'golem-exec-js': { language: 'javascript', kind: 'ours', label: 'golem-exec JS (exec-javascript)' },
  'quickjs-emscripten': { language: 'javascript', kind: 'peer', label: 'quickjs-emscripten' },
  'isolated-vm': { language: 'javascript', kind: 'peer', label: 'isolated-vm' },
  'node-process': { language: 'javascript', kind: 'peer', label: 'node subprocess' },
  'node-vm': { language: 'javascript', kind: 'reference', label: 'node vm context (in-process)' },
  'node-direct': { language: 'javascript', kind: 'reference', label: 'node direct (no isolation)' },
  'golem-exec-py': { language: 'python', kind: 'ours', label: 'golem-exec Python (exec-python)' },
  pyodide: { language: 'python', kind: 'peer', label: 'pyodide' },
  'python3-process': { language: 'python', kind: 'peer', label: 'python3 subprocess' },
};

/** Repetitions per section and subject (quick mode: a smoke run). */
const N = QUICK
  ? { cold: 2, coldSlow: 1, coldNative: 3, warm: 30, fresh: 3, freshSlow: 1, freshCheap: 20, tput: 60, tputEach: 30, tputNative: 10, cpu: 1 }
  : { cold: 5, coldSlow: 3, coldNative: 10, warm: 200, fresh: 20, freshSlow: 2, freshCheap: 100, tput: 400, tputEach: 200, tputNative: 40, cpu: 3 };

const isNative = (name) => name in native.NATIVE;
const load = () => loadavg().map((v) => Number(v.toFixed(2)));
const log = (...parts) => console.error(`[bench ${((performance.now()) / 1000).toFixed(0)}s]`, ...parts);

async function attempt(section, name, fn) {
  const reason = unavailable(name);
  if (reason) return { unavailable: reason };
  log(section, name);
  try {
    return await fn();
  } catch (error) {
    log(`${section} ${name} failed:`, error.message);
    return { error: String(error.message).split('\n')[0].slice(0, 300) };
  }
}

const results = {
  meta: {
    date: new Date().toISOString(),
    command: `npm run bench${QUICK ? ' -- --quick' : ''}`,
    quick: QUICK,
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(),
    // The components are built from the working tree: say so when it differs from the commit.
    uncommitted: execFileSync('git', ['status', '--porcelain', '--', 'components', 'host', 'wit'], { cwd: ROOT }).toString().trim() !== '',
    cpu: `${cpus()[0]?.model ?? 'unknown'}`,
    cores: CORES,
    memoryGb: Number((totalmem() / 2 ** 30).toFixed(1)),
    versions: native.nativeVersions(),
    load: { start: load() },
  },
  subjects: SUBJECT_INFO,
  cold: {},
  warm: {},
  fresh: {},
  throughput: {},
  cpu: {},
  profile: undefined,
  extra: {},
};

const started = performance.now();

// Cold start: a new process until its first hello-world result.
results.meta.load.cold = load();
for (const name of Object.keys(SUBJECT_INFO)) {
  if (name === 'node-direct') continue;
  results.cold[name] = await attempt('cold', name, async () => {
    if (isNative(name)) {
      return { ...summary(await native.spawnHello(name, N.coldNative)), rssAfterStartMb: await native.helloRss(name) };
    }
    const runs = [];
    for (let i = 0; i < (name === 'pyodide' ? N.coldSlow : N.cold); i++) runs.push(await runChild('cold', name));
    return {
      ...summary(runs.map((r) => r.markMs)),
      rssAfterStartMb: Math.min(...runs.map((r) => r.rssAfterStartMb)),
      peakRssAtStartMb: Math.min(...runs.map((r) => r.peakRssMb)),
    };
  });
}

// Warm hello-world latency (fresh globals per run where the subject offers it).
results.meta.load.warm = load();
for (const name of Object.keys(SUBJECT_INFO)) {
  if (isNative(name)) continue;
  results.warm[name] = await attempt('warm', name, async () => summary((await runChild('warm', name, [N.warm])).samples));
}

// A fresh isolated instance per run.
results.meta.load.fresh = load();
for (const name of Object.keys(SUBJECT_INFO)) {
  if (name === 'node-direct') continue;
  results.fresh[name] = await attempt('fresh', name, async () => {
    if (isNative(name)) return summary(await native.spawnHello(name, N.fresh));
    const runs = name === 'pyodide' ? N.freshSlow : name.startsWith('golem-exec') ? N.fresh : N.freshCheap;
    return summary((await runChild('fresh', name, [runs])).samples);
  });
}

// Throughput with every core busy.
results.meta.load.throughput = load();
for (const name of Object.keys(SUBJECT_INFO)) {
  if (name === 'node-direct') continue;
  results.throughput[name] = await attempt('throughput', name, async () => {
    if (isNative(name)) return native.throughput(name, CORES, N.tputNative);
    if (name.startsWith('golem-exec')) {
      const report = await runChild('pool-throughput', name, [CORES, N.tput]);
      return { runs: report.runs, seconds: (report.endedAt - report.startedAt) / 1000, perSecond: report.runs / ((report.endedAt - report.startedAt) / 1000), workers: report.workers };
    }
    return parallelThroughput(name, CORES, N.tputEach);
  });
}

// CPU-bound workloads, timed inside each program.
results.meta.load.cpu = load();
for (const name of Object.keys(SUBJECT_INFO)) {
  results.cpu[name] = await attempt('cpu', name, () => (isNative(name) ? native.cpu(name, N.cpu) : runChild('cpu', name, [N.cpu])));
}

// Where a warm run's time goes (host round trip vs guest work vs WASI calls): profile-run.mjs.
results.meta.load.profile = load();
log('profile');
try {
  const { stdout } = await measureSpawn(process.execPath, [join(ROOT, 'scripts', 'bench', 'profile-run.mjs'), String(QUICK ? 30 : 200)], { cwd: ROOT });
  results.profile = lastJson(stdout);
} catch (error) {
  results.profile = { error: String(error.message).split('\n')[0].slice(0, 300) };
}

results.meta.load.extra = load();
if (EXTRA) results.extra = await runExtras({ quick: QUICK, log });

results.meta.load.end = load();
results.meta.durationS = Math.round((performance.now() - started) / 1000);

mkdirSync(join(ROOT, 'build', 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'build', 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeReport(results, { markdown: join(ROOT, 'BENCHMARKS.md'), svg: join(ROOT, 'BENCHMARKS.svg') });
log(`done in ${results.meta.durationS} s: BENCHMARKS.md, BENCHMARKS.svg, build/bench/results.json`);

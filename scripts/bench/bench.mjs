// `npm run bench`: measures our components (through the host library) and their peers, pair by pair in one run on
// this machine, then writes BENCHMARKS.md, BENCHMARKS.svg and build/bench/results.json.
//
//   node scripts/bench/bench.mjs [--quick] [--no-extra] [--only SECTIONS] [--subjects NAMES]
//     --quick     few repetitions (a smoke run, ~2 min; numbers are rough)
//     --no-extra  skip the other engineers' benchmarks (wasmtime, guest limits, service load)
//     --only      comma-separated sections to run (of SECTIONS below), e.g. `--only everyday,cli`
//     --subjects  comma-separated subjects to measure (of SUBJECT_INFO below), e.g. `--subjects golem-exec-py,eryx`
//   With --only or --subjects the run is partial: it writes build/bench/results-partial.json and
//   build/bench/BENCHMARKS-partial.md, never BENCHMARKS.md.
//
// Every in-process subject is measured in a child process of its own (child.mjs); native peers are spawned
// (native.mjs). Sections run one after another, all subjects of a section together, so a pair is measured under
// the same machine load. eryx (a Python host) is measured by its own driver (eryx.mjs), the CLI by spawning it (cli.mjs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { cliHello } from './cli.mjs';
import * as eryx from './eryx.mjs';
import * as native from './native.mjs';
import { lastJson, measureSpawn, parallelThroughput, runChild } from './proc.mjs';
import { runExtras } from './extras.mjs';
import { writeReport } from './report.mjs';
import { summary } from './stats.mjs';
import { ROOT, unavailable } from './subjects.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const EXTRA = !argv.includes('--no-extra');
/** The comma-separated value of `--flag`, as a Set, or undefined when the flag is absent. */
const listFlag = (flag) => (argv.includes(flag) ? new Set((argv[argv.indexOf(flag) + 1] ?? '').split(',').filter(Boolean)) : undefined);
const ONLY = listFlag('--only');
const ONLY_SUBJECTS = listFlag('--subjects');
const PARTIAL = Boolean(ONLY || ONLY_SUBJECTS);
/** A mistake in the command line: one line, exit 2, before a 5-10 min run starts. */
function usage(message) {
  console.error(`bench: ${message} (options: --quick, --no-extra, --only SECTIONS, --subjects NAMES; see the head of scripts/bench/bench.mjs)`);
  process.exit(2);
}
// Anything else is a mistake (an ignored `--help` would run the whole bench).
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--only' || argv[i] === '--subjects') i++;
  else if (argv[i] !== '--quick' && argv[i] !== '--no-extra') usage(`unknown option ${JSON.stringify(argv[i])}`);
}
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
  eryx: { language: 'python', kind: 'peer', label: `eryx (${eryx.PYERYX.replace('==', ' ')}, wasmtime)` },
};

/** The sections in the order they run; `--only` picks some. */
const SECTIONS = ['cold', 'warm', 'fresh', 'session', 'throughput', 'cpu', 'everyday', 'cli', 'profile', 'extra'];
for (const name of ONLY ?? []) if (!SECTIONS.includes(name)) usage(`--only: unknown section ${JSON.stringify(name)} (sections: ${SECTIONS.join(', ')})`);
for (const name of ONLY_SUBJECTS ?? []) if (!(name in SUBJECT_INFO)) usage(`--subjects: unknown subject ${JSON.stringify(name)} (subjects: ${Object.keys(SUBJECT_INFO).join(', ')})`);
if ((ONLY && ONLY.size === 0) || (ONLY_SUBJECTS && ONLY_SUBJECTS.size === 0)) usage('--only and --subjects need a comma-separated list');
const runs = (section) => !ONLY || ONLY.has(section);
/** The subjects a section measures (all of SUBJECT_INFO unless given), narrowed by `--subjects`. */
const subjectsOf = (names = Object.keys(SUBJECT_INFO)) => names.filter((name) => !ONLY_SUBJECTS || ONLY_SUBJECTS.has(name));
/** Ours against eryx's Session.execute: Python only (eryx is a Python sandbox). */
const SESSION_SUBJECTS = ['golem-exec-py', 'eryx'];
/** The everyday JavaScript workloads: ours, the interpreter peer, and V8 as the speed reference. */
const EVERYDAY_SUBJECTS = ['golem-exec-js', 'quickjs-emscripten', 'node-direct'];

/** Repetitions per section and subject (quick mode: a smoke run). */
const N = QUICK
  ? { cold: 2, coldSlow: 1, coldNative: 3, warm: 30, fresh: 3, freshSlow: 1, freshCheap: 20, tput: 60, tputEach: 30, tputNative: 10, cpu: 1, cli: 2 }
  : { cold: 5, coldSlow: 3, coldNative: 10, warm: 200, fresh: 20, freshSlow: 2, freshCheap: 100, tput: 400, tputEach: 200, tputNative: 40, cpu: 3, cli: 5 };

const isNative = (name) => name in native.NATIVE;
const load = () => loadavg().map((v) => Number(v.toFixed(2)));
const log = (...parts) => console.error(`[bench ${((performance.now()) / 1000).toFixed(0)}s]`, ...parts);

async function attempt(section, name, fn) {
  const reason = name === 'eryx' ? eryxMissing : unavailable(name);
  if (reason) return { unavailable: reason };
  log(section, name);
  try {
    return await fn();
  } catch (error) {
    log(`${section} ${name} failed:`, error.message);
    return { error: String(error.message).split('\n')[0].slice(0, 300) };
  }
}

// The eryx venv is made (once) before any clock runs.
const MEASURE_ERYX = subjectsOf(['eryx']).length > 0;
const eryxMissing = MEASURE_ERYX ? eryx.eryxUnavailable(log) : undefined;
if (eryxMissing) log('eryx:', eryxMissing);

const results = {
  meta: {
    date: new Date().toISOString(),
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    partial: PARTIAL,
    quick: QUICK,
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(),
    // The components are built from the working tree: say so when it differs from the commit.
    uncommitted: execFileSync('git', ['status', '--porcelain', '--', 'components', 'host', 'wit'], { cwd: ROOT }).toString().trim() !== '',
    cpu: `${cpus()[0]?.model ?? 'unknown'}`,
    cores: CORES,
    memoryGb: Number((totalmem() / 2 ** 30).toFixed(1)),
    versions: { ...native.nativeVersions(), eryx: MEASURE_ERYX && !eryxMissing ? eryx.eryxVersion() : undefined },
    load: { start: load() },
  },
  subjects: SUBJECT_INFO,
  cold: {},
  warm: {},
  warmBackToBack: {},
  fresh: {},
  session: {},
  throughput: {},
  cpu: {},
  everyday: {},
  cli: undefined,
  profile: undefined,
  extra: {},
};

const started = performance.now();

// Cold start: a new process until its first hello-world result.
if (runs('cold')) results.meta.load.cold = load();
for (const name of runs('cold') ? subjectsOf() : []) {
  if (name === 'node-direct') continue;
  results.cold[name] = await attempt('cold', name, async () => {
    if (name === 'eryx') return eryx.cold(N.cold);
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
if (runs('warm')) results.meta.load.warm = load();
for (const name of runs('warm') ? subjectsOf() : []) {
  if (isNative(name)) continue;
  const measured = await attempt('warm', name, async () => (name === 'eryx' ? eryx.warm(N.warm) : runChild('warm', name, [N.warm])));
  results.warm[name] = measured.samples ? summary(measured.samples) : measured;
  results.warmBackToBack[name] = measured.backToBack ? summary(measured.backToBack) : measured;
}

// A fresh isolated instance per run.
if (runs('fresh')) results.meta.load.fresh = load();
for (const name of runs('fresh') ? subjectsOf() : []) {
  if (name === 'node-direct') continue;
  results.fresh[name] = await attempt('fresh', name, async () => {
    if (name === 'eryx') return eryx.latency('fresh', N.freshCheap);
    if (isNative(name)) return summary(await native.spawnHello(name, N.fresh));
    const runs = name === 'pyodide' ? N.freshSlow : name.startsWith('golem-exec') ? N.fresh : N.freshCheap;
    return summary((await runChild('fresh', name, [runs])).samples);
  });
}

// A session's state kept between runs: ours `session.eval`, eryx `Session.execute`.
if (runs('session')) results.meta.load.session = load();
for (const name of runs('session') ? subjectsOf(SESSION_SUBJECTS) : []) {
  results.session[name] = await attempt('session', name, async () => (name === 'eryx'
    ? eryx.latency('session', N.warm)
    : summary((await runChild('session', name, [N.warm])).samples)));
}

// Throughput with every core busy (eryx is not measured here: issue 16 compares latencies, CPU and memory).
if (runs('throughput')) results.meta.load.throughput = load();
for (const name of runs('throughput') ? subjectsOf() : []) {
  if (name === 'node-direct' || name === 'eryx') continue;
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
if (runs('cpu')) results.meta.load.cpu = load();
for (const name of runs('cpu') ? subjectsOf() : []) {
  results.cpu[name] = await attempt('cpu', name, () => {
    if (name === 'eryx') return eryx.cpu(N.cpu);
    return isNative(name) ? native.cpu(name, N.cpu) : runChild('cpu', name, [N.cpu]);
  });
}

// Everyday JavaScript (Math.random, push, Map/Set, ...), timed inside each program like the CPU workloads.
if (runs('everyday')) results.meta.load.everyday = load();
for (const name of runs('everyday') ? subjectsOf(EVERYDAY_SUBJECTS) : []) {
  results.everyday[name] = await attempt('everyday', name, () => runChild('everyday', name, [N.cpu]));
}

// One CLI call of a hello-world against `node -e`.
if (runs('cli')) {
  results.meta.load.cli = load();
  log('cli');
  try {
    results.cli = await cliHello(N.cli);
  } catch (error) {
    results.cli = { error: String(error.message).split('\n')[0].slice(0, 300) };
  }
}

// Where a warm run's time goes (host round trip vs guest work vs WASI calls): profile-run.mjs.
if (runs('profile')) {
  results.meta.load.profile = load();
  log('profile');
  try {
    const { stdout } = await measureSpawn(process.execPath, [join(ROOT, 'scripts', 'bench', 'profile-run.mjs'), String(QUICK ? 30 : 200)], { cwd: ROOT });
    results.profile = lastJson(stdout);
  } catch (error) {
    results.profile = { error: String(error.message).split('\n')[0].slice(0, 300) };
  }
}

if (EXTRA && runs('extra')) {
  results.meta.load.extra = load();
  results.extra = await runExtras({ quick: QUICK, log });
}

results.meta.load.end = load();
results.meta.durationS = Math.round((performance.now() - started) / 1000);

const OUT = join(ROOT, 'build', 'bench');
mkdirSync(OUT, { recursive: true });
if (PARTIAL) {
  // A partial run never replaces the full run's report.
  writeFileSync(join(OUT, 'results-partial.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeReport(results, { markdown: join(OUT, 'BENCHMARKS-partial.md'), svg: join(OUT, 'BENCHMARKS-partial.svg') });
  log(`done in ${results.meta.durationS} s: build/bench/BENCHMARKS-partial.md, build/bench/results-partial.json`);
} else {
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeReport(results, { markdown: join(ROOT, 'BENCHMARKS.md'), svg: join(ROOT, 'BENCHMARKS.svg') });
  log(`done in ${results.meta.durationS} s: BENCHMARKS.md, BENCHMARKS.svg, build/bench/results.json`);
}

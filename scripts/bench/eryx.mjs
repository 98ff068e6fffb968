// The eryx peer for Python (issue 16): pyeryx from PyPI, a Python host running componentize-py's CPython 3.14 in
// wasmtime, pre-initialised and pooled. It lives in a bench-only venv, .cache/eryx-venv, that the bench makes on its
// first run (pinned; never a dependency of the package). pyeryx ships a cp312-abi3 wheel, so the venv needs a
// Python >= 3.12: BENCH_ERYX_PYTHON, else python3.12+ on PATH, else one of pyenv's versions.
//
// Every measurement spawns eryx-driver.py with the venv's python (a new process per section, as child.mjs is for
// ours); the driver prints JSON in the shapes child.mjs prints, so bench.mjs and report.mjs treat eryx like the others.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../paths.mjs';
import { lastJson, measureSpawn } from './proc.mjs';
import { summary } from './stats.mjs';
import { ensureVenv } from './venv.mjs';
import { HELLO, WARM_PAUSE_MS, WORKLOADS } from './workloads.mjs';

/** The version issue 16 measured against; bump it here only. */
export const PYERYX = 'pyeryx==0.11.0';
const VENV = join(ROOT, '.cache', 'eryx-venv');
const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'eryx-driver.py');
const hello = HELLO.python;

const isPython312 = (command) =>
  spawnSync(command, ['-c', 'import sys; sys.exit(sys.version_info < (3, 12))'], { stdio: 'ignore' }).status === 0;

/** A Python >= 3.12 to make the venv with, or undefined. */
function basePython() {
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  const pyenvVersions = existsSync(pyenv)
    ? readdirSync(pyenv).filter((v) => /^3\.(1[2-9]|[2-9]\d)\.\d+$/.test(v)).sort().map((v) => join(pyenv, v, 'bin', 'python3'))
    : [];
  const candidates = [process.env.BENCH_ERYX_PYTHON, 'python3.12', 'python3.13', 'python3.14', ...pyenvVersions].filter(Boolean);
  return candidates.find(isPython312);
}

let setup;
/** The venv's python with pyeryx, made on first use; or { reason } why eryx cannot be measured here. */
function venvPython(log) {
  if (setup) return setup;
  try {
    const python = basePython();
    if (!python) throw new Error('no Python >= 3.12 found (pyeryx has only cp312-abi3 wheels; set BENCH_ERYX_PYTHON)');
    setup = { python: ensureVenv({ dir: VENV, python, packages: [PYERYX], log }) };
  } catch (error) {
    setup = { reason: `eryx venv setup failed: ${String(error.message).split('\n')[0]}` };
  }
  return setup;
}

/** Why eryx cannot be measured here (no Python >= 3.12, the install failed), or undefined; sets the venv up. */
export function eryxUnavailable(log) {
  return venvPython(log).reason;
}

/** pyeryx's version as installed. */
export function eryxVersion() {
  const { python } = venvPython();
  if (!python) return undefined;
  return spawnSync(python, ['-c', 'import eryx; print(eryx.__version__)'], { encoding: 'utf8' }).stdout.trim() || undefined;
}

async function driver(mode, job, options = {}) {
  const { python, reason } = venvPython();
  if (!python) throw new Error(reason);
  const result = await measureSpawn(python, [DRIVER, mode], { input: JSON.stringify(job), ...options });
  return { ...lastJson(result.stdout), markMs: result.markMs };
}

/** A new process until its first hello-world result (import eryx, Sandbox(), execute), `runs` times. */
export async function cold(runs) {
  const reports = [];
  for (let i = 0; i < runs; i++) reports.push(await driver('cold', { hello }, { marker: 'FIRST' }));
  return {
    ...summary(reports.map((r) => r.markMs)),
    rssAfterStartMb: Math.min(...reports.map((r) => r.rssAfterStartMb)),
    peakRssAtStartMb: Math.min(...reports.map((r) => r.peakRssMb)),
  };
}

/** Hello-world latency: `fresh` (Sandbox() + execute), `session`. */
export async function latency(mode, runs) {
  return summary((await driver(mode, { hello, runs })).samples);
}

/** `execute` again on one Sandbox: paced (WARM_PAUSE_MS before each) and back to back, as child.mjs `warm`. */
export async function warm(runs) {
  return driver('warm', { hello, runs, pauseMs: WARM_PAUSE_MS });
}

/** The Python CPU workloads of workloads.mjs, `reps` times each, on one Sandbox. */
export async function cpu(reps) {
  const workloads = WORKLOADS.map((w) => ({ name: w.name, code: w.python }));
  const { results, peakRssMb } = await driver('cpu', { hello, reps, workloads });
  return { results, peakRssMb };
}

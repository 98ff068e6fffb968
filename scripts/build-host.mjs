// Compiles the host library and CLI (host/src, TypeScript) into build/host with tsc (type-check, ESM + .d.ts), and
// records the toolchain versions the components were built with (build/host/toolchain.json, read by `info()`).
// First the host's WIT types: jco's declarations of the `exec` world as a host sees it, generated from wit/ into
// host/src/engine/wit/ (git-ignored), so that a change to the contract is a type error in the host.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, ROOT, WIT_DEPS_DIR, WIT_DIR } from './paths.mjs';
import { writeWitDeps } from './wit-deps.mjs';
import { jco, runNode, toolPath } from './run-tool.mjs';

const WIT_TYPES = join(ROOT, 'host', 'src', 'engine', 'wit');
import { PYTHON_TOOLS } from './setup-python.mjs';

const packageVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

export async function buildHost() {
  if (!existsSync(WIT_DEPS_DIR)) await writeWitDeps();
  rmSync(WIT_TYPES, { recursive: true, force: true });
  jco(['types', WIT_DIR, '--world-name', 'exec', '--out-dir', WIT_TYPES, '--quiet']);
  runNode(toolPath('typescript', 'bin/tsc'), ['-p', 'host/tsconfig.json']);
  // tsc emits no .d.ts it was given: the compiled host's declarations refer to these.
  cpSync(WIT_TYPES, join(BUILD_DIR, 'host', 'engine', 'wit'), { recursive: true });
  const pins = Object.fromEntries(PYTHON_TOOLS.map((pin) => pin.split('==')));
  const toolchain = {
    'componentize-js': packageVersion('@bytecodealliance/componentize-js'),
    jco: packageVersion('@bytecodealliance/jco'),
    'preview2-shim': packageVersion('@bytecodealliance/preview2-shim'),
    'componentize-py': pins['componentize-py'] ?? 'unknown',
  };
  writeFileSync(join(BUILD_DIR, 'host', 'toolchain.json'), JSON.stringify(toolchain, null, 2) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await buildHost();
  console.log(`host library built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

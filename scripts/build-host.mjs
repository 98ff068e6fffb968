// Compiles the host library and CLI (host/src, TypeScript) into build/host with tsc (type-check, ESM + .d.ts), and
// records the toolchain versions the components were built with (build/host/toolchain.json, read by `info()`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, ROOT } from './paths.mjs';
import { runNode, toolPath } from './run-tool.mjs';
import { PYTHON_TOOLS } from './setup-python.mjs';

const packageVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

export function buildHost() {
  runNode(toolPath('typescript', 'bin/tsc'), ['-p', 'host/tsconfig.json']);
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
  buildHost();
  console.log(`host library built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

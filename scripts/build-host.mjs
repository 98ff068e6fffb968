// Compiles the host library and CLI (host/src, TypeScript) into build/host with tsc (type-check, ESM + .d.ts), and
// records the toolchain versions the components were built with (build/host/toolchain.json, read by `info()`).
// Incremental like the components (scripts/build.mjs): nothing is written when the inputs are those of the last build,
// so `npm pack`'s prepack, run by the package check while other tests read build/host, rewrites no file under them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILD_DIR, ROOT } from './paths.mjs';
import { runNode, toolPath } from './run-tool.mjs';
import { PYTHON_TOOLS } from './setup-python.mjs';

const packageVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

const STAMP = join(BUILD_DIR, '.inputs-host');

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Digest of what build/host is made from: the sources, the compiler settings, this script and the pinned tools. */
function inputsHash() {
  const hash = createHash('sha256');
  const files = [...filesUnder(join(ROOT, 'host', 'src')), join(ROOT, 'host', 'tsconfig.json'), join(ROOT, 'scripts', 'build-host.mjs'),
    join(ROOT, 'scripts', 'setup-python.mjs'), join(ROOT, 'package-lock.json'), join(ROOT, 'package.json')];
  for (const file of files.sort()) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

/** Builds build/host unless it is up to date (`force`: always); returns whether it compiled. */
export function buildHost({ force = false } = {}) {
  const digest = inputsHash();
  const upToDate = !force && existsSync(join(BUILD_DIR, 'host', 'index.js')) && existsSync(join(BUILD_DIR, 'host', 'toolchain.json')) &&
    existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest;
  if (upToDate) return false;
  // From empty, so that no output of a source since removed or moved is left behind (and packed).
  rmSync(join(BUILD_DIR, 'host'), { recursive: true, force: true });
  runNode(toolPath('typescript', 'bin/tsc'), ['-p', 'host/tsconfig.json']);
  const pins = Object.fromEntries(PYTHON_TOOLS.map((pin) => pin.split('==')));
  const toolchain = {
    'componentize-js': packageVersion('@bytecodealliance/componentize-js'),
    jco: packageVersion('@bytecodealliance/jco'),
    'preview2-shim': packageVersion('@bytecodealliance/preview2-shim'),
    'componentize-py': pins['componentize-py'] ?? 'unknown',
  };
  writeFileSync(join(BUILD_DIR, 'host', 'toolchain.json'), JSON.stringify(toolchain, null, 2) + '\n');
  writeFileSync(STAMP, digest);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  if (buildHost({ force: process.argv.includes('--force') })) console.log(`host library built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  else console.log('host library is up to date');
}

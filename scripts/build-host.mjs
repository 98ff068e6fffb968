// Compiles the host library and CLI (host/src, TypeScript) into build/host with tsc (type-check, ESM + .d.ts), and
// records the toolchain versions the components were built with (build/host/toolchain.json, read by `info()`).
// First the host's WIT types: jco's declarations of the `exec` world as a host sees it, generated from wit/ into
// host/src/engine/wit/ (git-ignored), so that a change to the contract is a type error in the host.
// Incremental like the components (scripts/build.mjs): nothing is written when the inputs are those of the last build,
// so `npm pack`'s prepack, run by the package check while other tests read build/host, rewrites no file under them.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILD_DIR, ROOT, WIT_DEPS_DIR, WIT_DIR } from './paths.mjs';
import { jco, runNode, toolPath } from './run-tool.mjs';
import { PYTHON_TOOLS } from './setup-python.mjs';
import { writeWitDeps } from './wit-deps.mjs';
import { buildDataPythonGlue } from './build-data-python.mjs';

const packageVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

const STAMP = join(BUILD_DIR, '.inputs-host');
const WIT_TYPES = join(ROOT, 'host', 'src', 'engine', 'wit');

function filesUnder(dir, skip = []) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (skip.includes(path)) return [];
    return statSync(path).isDirectory() ? filesUnder(path, skip) : [path];
  });
}

/** Digest of what build/host is made from: the sources, the WIT, the compiler settings, this script and the pinned tools. */
function inputsHash() {
  const hash = createHash('sha256');
  const files = [...filesUnder(join(ROOT, 'host', 'src'), [WIT_TYPES]), ...filesUnder(WIT_DIR, [WIT_DEPS_DIR]),
    ...filesUnder(join(ROOT, 'components', 'data-python')), join(ROOT, 'scripts', 'build-data-python.mjs'),
    join(ROOT, 'host', 'tsconfig.json'), join(ROOT, 'scripts', 'build-host.mjs'), join(ROOT, 'scripts', 'setup-python.mjs'),
    join(ROOT, 'package-lock.json'), join(ROOT, 'package.json')];
  for (const file of files.sort()) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

/** Builds build/host unless it is up to date (`force`: always); returns whether it compiled. */
export async function buildHost({ force = false } = {}) {
  const digest = inputsHash();
  const upToDate = !force && existsSync(join(BUILD_DIR, 'host', 'index.js')) && existsSync(join(BUILD_DIR, 'host', 'toolchain.json')) &&
    existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest;
  if (upToDate) return false;
  if (!existsSync(WIT_DEPS_DIR)) await writeWitDeps();
  rmSync(WIT_TYPES, { recursive: true, force: true });
  jco(['types', WIT_DIR, '--world-name', 'exec', '--out-dir', WIT_TYPES, '--quiet']);
  // From empty, so that no output of a source since removed or moved is left behind (and packed).
  rmSync(join(BUILD_DIR, 'host'), { recursive: true, force: true });
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
  // The data-work interpreter's glue (small; the interpreter itself comes from `npm run setup:data`).
  buildDataPythonGlue();
  writeFileSync(join(BUILD_DIR, 'host', 'toolchain.json'), JSON.stringify(toolchain, null, 2) + '\n');
  writeFileSync(STAMP, digest);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  if (await buildHost({ force: process.argv.includes('--force') })) console.log(`host library built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  else console.log('host library is up to date');
}

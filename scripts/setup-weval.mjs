// Installs weval (the WebAssembly partial evaluator) into the project-local .cache/weval, for the opt-in
// ahead-of-time build of the JavaScript guest (`GOLEM_EXEC_AOT=1 npm run build`, see scripts/build.mjs). The default
// build never calls this. ComponentizeJS would fetch a release binary from GitHub through the npm package
// @bytecodealliance/weval; we build the same release from crates.io with cargo instead (a Rust toolchain is needed,
// and the first install compiles wasmtime: ~30 min on 2 cores). Idempotent: a stamp records the pin.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

/**
 * Pinned to the weval release ComponentizeJS 0.23 was made for: its dependency @bytecodealliance/weval 0.5.0 downloads
 * tag v0.5.0, and lib/starlingmonkey_ics.wevalcache (pre-compiled IC bodies) is read by that release's cache format.
 */
export const WEVAL_VERSION = '0.5.0';
export const WEVAL_ROOT = join(ROOT, '.cache', 'weval');
export const wevalBin = () => join(WEVAL_ROOT, 'bin', process.platform === 'win32' ? 'weval.exe' : 'weval');
const STAMP = join(WEVAL_ROOT, '.golem-exec-weval');

const installed = () => existsSync(STAMP) && readFileSync(STAMP, 'utf8') === `${WEVAL_VERSION}\n` && existsSync(wevalBin());

/** Runs `cargo install` at the lowest CPU priority: it takes many minutes and the build machine is shared. */
function cargoInstall() {
  const args = ['install', 'weval', '--version', WEVAL_VERSION, '--locked', '--root', WEVAL_ROOT];
  const [cmd, argv] = process.platform === 'win32' ? ['cargo', args] : ['nice', ['-n', '19', 'cargo', ...args]];
  console.log(`(setup-weval) building weval ${WEVAL_VERSION} from crates.io into ${WEVAL_ROOT} (slow: it compiles wasmtime)`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: 'inherit', cwd: ROOT });
    child.on('error', (error) => reject(new Error(`could not start cargo (${error.message}): the AOT build needs a Rust toolchain (https://rustup.rs)`)));
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`'cargo ${args.join(' ')}' failed (${signal ?? `exit ${code}`})`))));
  });
}

/** Ensures the pinned weval is installed; returns the path of its binary. */
export async function setupWeval() {
  if (!installed()) {
    await cargoInstall();
    if (!existsSync(wevalBin())) throw new Error(`cargo install finished but ${wevalBin()} is missing`);
    writeFileSync(STAMP, `${WEVAL_VERSION}\n`);
  }
  return wevalBin();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(`(setup-weval) weval ${WEVAL_VERSION} ready: ${await setupWeval()}`);
  } catch (err) {
    console.error(`(setup-weval) Error: ${err.message}`);
    process.exit(1);
  }
}

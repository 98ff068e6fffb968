// Materialises wit/deps from the WASI WIT that jco ships in its npm package, so wit/ resolves with no download and
// nothing vendored in git. wasi:cli refers to sockets and http, so those are needed to resolve (not imported).
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WASI_VERSION, WIT_DEPS_DIR } from './paths.mjs';

const require = createRequire(import.meta.url);
// jco's exports map hides package.json; its main entry sits in src/, one level below the package root.
const jcoRoot = dirname(dirname(require.resolve('@bytecodealliance/jco')));
const source = join(jcoRoot, 'lib', 'wit', 'builtin', WASI_VERSION);

export async function writeWitDeps() {
  const packages = await readdir(source).catch(() => {
    throw new Error(`WASI ${WASI_VERSION} WIT not found in ${source}: is @bytecodealliance/jco installed?`);
  });
  await rm(WIT_DEPS_DIR, { recursive: true, force: true });
  await mkdir(WIT_DEPS_DIR, { recursive: true });
  for (const pkg of packages.filter((name) => name.startsWith('wasi-'))) {
    await cp(join(source, pkg), join(WIT_DEPS_DIR, pkg), { recursive: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await writeWitDeps();

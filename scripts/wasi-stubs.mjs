// Removes the wasi:sockets imports componentize-py's wasi-libc adds to exec-python.wasm: builds the sockets-denied
// component from components/wasi-stubs/ and composes it into the Python component, so the sockets imports are
// satisfied inside it (every request refused) and the component imports only what a Golem worker provides.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILD_DIR, COMPONENTS_DIR, WIT_DEPS_DIR } from './paths.mjs';
import { venvBin } from './setup-python.mjs';

const STUBS_DIR = join(COMPONENTS_DIR, 'wasi-stubs');
const WORK_DIR = join(BUILD_DIR, 'wasi-stubs');
/** The WASI packages a Golem worker (WASI 0.2.x) provides: the only ones a component may import from. */
export const ALLOWED_IMPORT_PACKAGES = ['wasi:cli', 'wasi:clocks', 'wasi:filesystem', 'wasi:io', 'wasi:random'];

/** Runs the pinned wasm-tools (.venv, see scripts/setup-python.mjs); returns its stdout, throws naming `what`. */
export function wasmTools(args, what) {
  const res = spawnSync(venvBin('wasm-tools'), args, { encoding: 'utf8' });
  if (res.error) throw new Error(`${what}: could not start wasm-tools (${res.error.message}): run node scripts/setup-python.mjs`);
  if (res.status !== 0) throw new Error(`${what}: wasm-tools ${args.join(' ')} failed:\n${res.stderr}`);
  return res.stdout;
}

/**
 * What a component imports and exports, read from the world `wasm-tools component wit` prints: interfaces by full
 * name ('wasi:io/poll@0.2.12', 'golem:exec/types@1.0.0'); an inline export (`export exports: interface {...}`) or a
 * function by its plain name ('exports').
 */
export function componentInterfaces(wasm) {
  const wit = wasmTools(['component', 'wit', wasm], `reading the imports and exports of ${wasm}`);
  const world = wit.slice(0, wit.indexOf('\n}\n'));
  const names = (kind) => [...world.matchAll(new RegExp(`^  ${kind} ([^\\s:;]+(?::[^\\s:;]+)?)[;:]`, 'gm'))].map((m) => m[1]);
  return { imports: names('import'), exports: names('export') };
}

/** The interfaces a component imports, e.g. ['wasi:io/poll@0.2.12', ...]. */
export const componentImports = (wasm) => componentInterfaces(wasm).imports;

/** Builds build/wasi-stubs/sockets-denied.wasm for wasi:sockets at `version`; returns its path. */
async function buildSocketsStub(version) {
  const world = await readFile(join(STUBS_DIR, 'sockets-denied.wit'), 'utf8');
  const exported = [...world.matchAll(/^\s*export (wasi:sockets\/[\w-]+)@([\d.]+);$/gm)];
  const stubVersion = exported[0]?.[2];
  if (stubVersion !== version) {
    throw new Error(`the Python component imports wasi:sockets@${version} but components/wasi-stubs/sockets-denied.wit ` +
      `exports @${stubVersion}: update the versions there`);
  }
  const witDir = join(WORK_DIR, 'wit');
  await rm(WORK_DIR, { recursive: true, force: true });
  await mkdir(join(witDir, 'deps', 'wasi-sockets'), { recursive: true });
  await copyFile(join(STUBS_DIR, 'sockets-denied.wit'), join(witDir, 'world.wit'));
  for (const pkg of ['wasi-io', 'wasi-clocks']) {
    await mkdir(join(witDir, 'deps', pkg));
    await copyFile(join(WIT_DEPS_DIR, pkg, 'package.wit'), join(witDir, 'deps', pkg, 'package.wit'));
  }
  // The sockets WIT the project has (jco's, at the exec world's WASI version) relabelled with the imported version.
  const sockets = await readFile(join(WIT_DEPS_DIR, 'wasi-sockets', 'package.wit'), 'utf8');
  const header = /^package wasi:sockets@[\d.]+;/m;
  if (!header.test(sockets)) throw new Error(`${join(WIT_DEPS_DIR, 'wasi-sockets', 'package.wit')} has no 'package wasi:sockets@...;' line`);
  await writeFile(join(witDir, 'deps', 'wasi-sockets', 'package.wit'), sockets.replace(header, `package wasi:sockets@${version};`));

  const embedded = join(WORK_DIR, 'sockets-denied.embedded.wasm');
  const component = join(WORK_DIR, 'sockets-denied.wasm');
  wasmTools(['component', 'embed', witDir, '--world', 'sockets-denied', join(STUBS_DIR, 'sockets-denied.wat'), '-o', embedded],
    'embedding the sockets-denied world');
  wasmTools(['component', 'new', embedded, '-o', component], 'making the sockets-denied component');
  return component;
}

/**
 * Writes `out`: `raw` with its wasi:sockets imports satisfied by the sockets-denied component (a copy of `raw` if
 * it imports no sockets). Fails if `out` would still import anything outside ALLOWED_IMPORT_PACKAGES.
 */
export async function denySockets(raw, out) {
  const sockets = componentImports(raw).filter((name) => name.startsWith('wasi:sockets/'));
  const versions = [...new Set(sockets.map((name) => name.split('@')[1]))];
  if (versions.length > 1) throw new Error(`${raw} imports wasi:sockets at several versions (${versions.join(', ')})`);
  if (versions.length === 0) {
    await copyFile(raw, out);
  } else {
    const stub = await buildSocketsStub(versions[0]);
    // `compose` is deprecated in favour of wac, but it is in the pinned wasm-tools and does this job (plug one
    // component's exports into another's imports by name) in well under a second.
    const res = spawnSync(venvBin('wasm-tools'), ['compose', raw, '-d', stub, '-o', out], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`composing ${stub} into ${raw} failed:\n${res.stderr}`);
  }
  const outside = componentImports(out).filter((name) => !ALLOWED_IMPORT_PACKAGES.includes(name.split('/')[0]));
  if (outside.length) {
    throw new Error(`${out} still imports ${outside.join(', ')}: only ${ALLOWED_IMPORT_PACKAGES.join(', ')} are allowed`);
  }
  return out;
}

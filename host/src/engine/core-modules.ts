// Finds the built components and compiles their core modules once per process (per memory cap), so every worker
// thread instantiates from already-compiled code (a WebAssembly.Module crosses to a worker without recompiling).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { onceByKey } from './memoize.js';
import { capMemory } from './wasm/memory-cap.js';
import { exportState } from './wasm/state-exports.js';
import type { LanguageName } from './protocol.js';

/** The package root: host code lives in build/host/engine/ once compiled. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Where a language's jco transpilation lives. `EXEC_JS_QUICKJS_PATH` / `EXEC_PYTHON_WASI_PATH` (the ticket's names for
 * "load the engine from elsewhere") name an alternative component: a `.wasm` file (transpiled with jco on first use,
 * cached by content hash) or a directory that already holds a jco transpilation.
 */
export function bindingsDir(language: LanguageName): string {
  const override = language === 'javascript' ? process.env.EXEC_JS_QUICKJS_PATH : process.env.EXEC_PYTHON_WASI_PATH;
  if (!override) return join(PACKAGE_ROOT, 'build', 'jco', language);
  const path = resolve(override);
  return path.endsWith('.wasm') ? transpiled(path) : path;
}

const transpiledDirs = new Map<string, string>();

/** jco-transpiles an alternative component into a cache directory keyed by its content (once per process). */
function transpiled(component: string): string {
  let dir = transpiledDirs.get(component);
  if (dir) return dir;
  let bytes: Buffer;
  try {
    bytes = readFileSync(component);
  } catch (error) {
    throw new Error(`cannot read the component ${component}: ${(error as Error).message}`);
  }
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  dir = join(tmpdir(), 'golem-exec-components', digest);
  if (!existsSync(dir)) {
    const staging = `${dir}.${process.pid}`;
    const { jco, preopens } = jcoTool(component);
    const result = spawnSync(process.execPath, ['--import', preopens, jco, 'transpile', component, '--out-dir', staging, '--name', 'component',
      '--instantiation', 'async', '--quiet'], { encoding: 'utf8' });
    if (result.status !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`cannot transpile ${component} with jco: ${result.stderr || result.error?.message}`);
    }
    // Another process may have finished first; either copy is the same transpilation.
    if (!existsSync(dir)) renameSync(staging, dir);
    else rmSync(staging, { recursive: true, force: true });
  }
  transpiledDirs.set(component, dir);
  return dir;
}

/**
 * jco's CLI and a module that preopens `/` in its preview2-shim (jco reads the component through the shim, which
 * grants no files unless preopened). jco is not a dependency of the package (it is large and only this path needs it):
 * it is found beside golem-exec (the consumer's own `npm install @bytecodealliance/jco`, or a checkout's dev
 * dependencies), else the error says how to transpile ahead of time.
 */
function jcoTool(component: string): { jco: string; preopens: string } {
  const require = createRequire(import.meta.url);
  let api: string;
  try {
    api = require.resolve('@bytecodealliance/jco');
  } catch {
    throw new Error(`${component} is a .wasm file, which needs jco to be transpiled, and @bytecodealliance/jco is not installed: ` +
      'install it beside golem-exec (npm install @bytecodealliance/jco@1.35.0), or transpile ahead of time ' +
      `(npx @bytecodealliance/jco@1.35.0 transpile ${component} --instantiation async -o DIR) and point the variable at DIR`);
  }
  const shim = createRequire(api).resolve('@bytecodealliance/preview2-shim/filesystem');
  const code = `import { _setPreopens } from ${JSON.stringify(pathToFileURL(shim).href)}; _setPreopens({ '/': '/' });`;
  return { jco: join(dirname(api), 'jco.js'), preopens: `data:text/javascript,${encodeURIComponent(code)}` };
}

export function bindingsEntry(language: LanguageName): string {
  const dir = bindingsDir(language);
  const entry = readdirSync(dir).find((name) => name.endsWith('.js') && !name.endsWith('.d.js'));
  if (!entry) throw new Error(`no jco-transpiled component in ${dir}`);
  return join(dir, entry);
}

export function assertBuilt(language: LanguageName): void {
  const dir = bindingsDir(language);
  if (!existsSync(dir)) {
    throw new Error(`the ${language} component is not built (${dir} is missing): run \`npm run build\``);
  }
}

/** A language's compiled core modules, as every worker of it instantiates them. */
export interface CoreModules {
  modules: Record<string, WebAssembly.Module>;
  /** Every module's mutable state is exported (false if the load-time patch met an encoding it does not know). */
  stateExported: boolean;
}

const compiled = new Map<string, Promise<CoreModules>>();

/**
 * The compiled core modules of `language`, with every defined memory capped at `memoryCapBytes` and their mutable
 * state exported (see wasm/state-exports.ts).
 */
export function coreModules(language: LanguageName, memoryCapBytes: number): Promise<CoreModules> {
  return onceByKey(compiled, `${language}:${memoryCapBytes}`, () => compileAll(language, memoryCapBytes));
}

async function compileAll(language: LanguageName, memoryCapBytes: number): Promise<CoreModules> {
  assertBuilt(language);
  const dir = bindingsDir(language);
  const names = readdirSync(dir).filter((name) => name.endsWith('.wasm'));
  const tables = tablesMutable(dir);
  let stateExported = true;
  const entries = await Promise.all(names.map(async (name) => {
    const capped = capMemory(new Uint8Array(await readFile(join(dir, name))), memoryCapBytes);
    let bytes = capped;
    try {
      bytes = exportState(capped, { tables });
    } catch {
      // An encoding the patcher does not know: the module works as built, its sandboxes get a new instance after
      // every run instead of a reset (instance-state.ts).
      stateExported = false;
    }
    return [name, await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>)] as const;
  }));
  return { modules: Object.fromEntries(entries), stateExported };
}

/**
 * Whether the component's tables can change after instantiation (build/jco/<language>/state.json, written by
 * scripts/table-facts.mjs); without that file (a component transpiled elsewhere) they are taken to be mutable.
 */
function tablesMutable(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).tablesMutable !== false;
  } catch {
    return true;
  }
}

// Transpiles each built component with jco into build/jco/<language>/ (ESM, async instantiation, so every host
// instance gets its own WASI shim and sandbox settings).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, TRANSPILED_DIR, componentPath } from './paths.mjs';
import { jco } from './run-tool.mjs';
import { writeTableFacts } from './table-facts.mjs';

export async function transpile(language) {
  const wasm = componentPath(language);
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: build it first (npm run build)`);
  const outDir = join(TRANSPILED_DIR, language);
  jco(['transpile', wasm, '--out-dir', outDir, '--name', `exec-${language}`, '--instantiation', 'async', '--quiet']);
  const glue = join(outDir, `exec-${language}.js`);
  hoistDebugSwitch(glue);
  exposeHandleTables(glue);
  callHostImportsDirectly(glue);
  await writeTableFacts(outDir);
}

/**
 * jco 1.35's glue calls `_debugLog` several times per import call (hundreds of calls per run), and each call read
 * `process.env.JCO_DEBUG`, an environment lookup through Node's env proxy: ~4% of a warm JavaScript run's CPU
 * profile. The switch is read once when the glue loads instead; with it off, `_debugLog` is an empty function V8
 * inlines. Same behaviour with JCO_DEBUG set. If a newer jco changes the line, the glue is left as it is.
 */
const DEBUG_CHECK = 'const _debugLog = (...args) => {\n    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }\n    console.debug(...args);\n  };';
const DEBUG_HOISTED = 'const _debugLog = globalThis?.process?.env?.JCO_DEBUG ? (...args) => console.debug(...args) : () => {};';

function hoistDebugSwitch(glue) {
  const source = readFileSync(glue, 'utf8');
  if (!source.includes(DEBUG_CHECK)) {
    console.warn(`transpile: ${glue} has no per-call JCO_DEBUG check to hoist (jco changed?); left as generated`);
    return;
  }
  writeFileSync(glue, source.replace(DEBUG_CHECK, DEBUG_HOISTED));
}

/**
 * The glue keeps each resource's handle table and the host objects it lent the guest (its "capture tables") in
 * closures of `instantiate`. The sandbox thread resets them with the instance's memory after every run
 * (host/src/engine/instance-state.ts): a handle a run opened must not outlive it (a later run could guess its number
 * and read through it). It also needs the finalization registries of exported resources: a guest resource a run
 * created (a `cwd` run's session) is forgotten by the reset without running guest code, and its finalizer must not
 * later drop a handle number the restored instance reuses. The glue registers these in `imports['golem-exec:glue']`
 * when the host passes that object; jco has no API for it (no upstream issue: jco's instances are not meant to be
 * reset). If a newer jco changes these lines, the build fails here rather than the host silently losing the reset.
 */
const INSTANTIATE = 'export function instantiate(getCoreModule, imports, instantiateCore = WebAssembly.instantiate) {';
const REGISTRY = "\n  const GOLEM_EXEC_GLUE = imports['golem-exec:glue'] ?? { handleTables: [], captureTables: [], finalizationRegistries: [] };";
const HANDLE_TABLE = /(const (handleTable\d+) = \[T_FLAG, 0\];)/g;
const CAPTURE_TABLE = /(const (captureTable\d+)= new Map\(\);)/g;
const NEW_REGISTRY = '  return new FinalizationRegistry(unregister);';
const NEW_REGISTRY_TRACKED = '  const registry = new FinalizationRegistry(unregister);\n  GOLEM_EXEC_GLUE.finalizationRegistries.push(registry);\n  return registry;';

function exposeHandleTables(glue) {
  const source = readFileSync(glue, 'utf8');
  if (!source.includes(INSTANTIATE) || !HANDLE_TABLE.test(source) || !source.includes(NEW_REGISTRY)) {
    throw new Error(`transpile: ${glue} does not have the handle tables this build expects (jco changed?)`);
  }
  writeFileSync(glue, source
    .replace(INSTANTIATE, INSTANTIATE + REGISTRY)
    .replace(HANDLE_TABLE, '$1 GOLEM_EXEC_GLUE.handleTables.push($2);')
    .replace(CAPTURE_TABLE, '$1 GOLEM_EXEC_GLUE.captureTables.push($2);')
    .replace(NEW_REGISTRY, NEW_REGISTRY_TRACKED));
}

/**
 * jco 1.35 runs every synchronous host import (each WASI call: a `stat`, a `write`, a `get-random-bytes`) through the
 * component-model-async task machinery: `_lowerImportBackwardsCompat` creates a subtask, the trampoline a task with
 * its own bookkeeping, both resolved and exited after the call, for calls that can neither block nor be async.
 * Measured on a warm Python hello-world: ~40% of the run's CPU in the sandbox thread. Our host functions are all
 * synchronous, so for each trampoline of a host import whose body has exactly jco 1.35's shape, the task is replaced
 * by an inert stand-in and the import is called directly (the may-leave check, the argument lifting, the result
 * lowering and the trap handling stay as generated). Async imports (none in our WIT) keep the machinery. A trampoline
 * of another shape is left as generated; if none matches, the build warns (jco changed?) and runs the slow path.
 */
const TRAMPOLINE_START = /(?=\n  const _trampoline\d+ = function)/;
const TASK_SETUP = /const hostProvided = true;[\s\S]*?const started = task\.enterSync\(\);/;
const TASK_SCOPE = '_withGlobalCurrentTaskMeta({';
const IMPORT_BINDING = 'function _lowerImportBackwardsCompat(args) {';
const DIRECT_HELPERS = `
  // golem-exec (scripts/transpile.mjs callHostImportsDirectly): the stand-in task of a directly called host import.
  const GOLEM_EXEC_NO_TASK = {
    componentIdx: () => -1, id: () => 0, getParentSubtask: () => undefined,
    setErrored() {}, reject() {}, resolve() {}, exit() {},
  };
  const _golemExecHostCall = (args) => args.fn();`;
const DIRECT_PATH = `
    if (args.importFn.golemExecDirect && !args.isAsync && !args.isManualAsync && !args.funcTypeIsAsync) {
      _checkMayLeave(args.componentIdx);
      return args.importFn.apply(null, Array.prototype.slice.call(arguments, 1));
    }`;

function callHostImportsDirectly(glue) {
  const source = readFileSync(glue, 'utf8');
  if (!source.includes(IMPORT_BINDING)) {
    console.warn(`transpile: ${glue} has no _lowerImportBackwardsCompat (jco changed?); host imports left as generated`);
    return;
  }
  let direct = 0;
  const parts = source.split(TRAMPOLINE_START).map((part) => {
    const name = /^\n  const (_trampoline\d+) = function/.exec(part)?.[1];
    const end = name ? part.indexOf(`\n  ${name}.fnName = `) : -1;
    if (end < 0) return part;
    const body = part.slice(0, end);
    if (!TASK_SETUP.test(body) || body.split(TASK_SCOPE).length !== 2) return part;
    direct++;
    const patched = body.replace(TASK_SETUP, 'const task = GOLEM_EXEC_NO_TASK;').replace(TASK_SCOPE, '_golemExecHostCall({');
    return `${patched}\n  ${name}.golemExecDirect = true;${part.slice(end)}`;
  });
  if (direct === 0) {
    console.warn(`transpile: ${glue} has no host-import trampoline of the expected shape (jco changed?); left as generated`);
    return;
  }
  writeFileSync(glue, parts.join('')
    .replace(IMPORT_BINDING, IMPORT_BINDING + DIRECT_PATH)
    .replace(INSTANTIATE, INSTANTIATE + DIRECT_HELPERS));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const language of process.argv.slice(2).length ? process.argv.slice(2) : LANGUAGES) await transpile(language);
}

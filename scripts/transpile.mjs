// Transpiles each built component with jco into build/jco/<language>/ (ESM, async instantiation, so every host
// instance gets its own WASI shim and sandbox settings).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, TRANSPILED_DIR, componentPath } from './paths.mjs';
import { jco } from './run-tool.mjs';

export function transpile(language) {
  const wasm = componentPath(language);
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: build it first (npm run build)`);
  const outDir = join(TRANSPILED_DIR, language);
  jco(['transpile', wasm, '--out-dir', outDir, '--name', `exec-${language}`, '--instantiation', 'async', '--quiet']);
  hoistDebugSwitch(join(outDir, `exec-${language}.js`));
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

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const language of process.argv.slice(2).length ? process.argv.slice(2) : LANGUAGES) transpile(language);
}

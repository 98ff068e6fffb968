// Transpiles each built component with jco into build/jco/<language>/ (ESM, async instantiation, so every host
// instance gets its own WASI shim and sandbox settings).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, TRANSPILED_DIR, componentPath } from './paths.mjs';
import { jco } from './run-tool.mjs';

export function transpile(language) {
  const wasm = componentPath(language);
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: build it first (npm run build)`);
  jco(['transpile', wasm, '--out-dir', join(TRANSPILED_DIR, language), '--name', `exec-${language}`, '--instantiation', 'async', '--quiet']);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const language of process.argv.slice(2).length ? process.argv.slice(2) : LANGUAGES) transpile(language);
}

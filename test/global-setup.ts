// Installs the data-work interpreter once, before any test file runs (what `npm run setup:data` does: a ~98 MB download
// the first time, nothing after): the data-work tests of the library, the HTTP service and the MCP server expect it,
// and vitest runs their files in any order.
import { setupDataPython } from '../build/host/engine/data-python/setup.js';

export default async function setup(): Promise<void> {
  await setupDataPython((line) => process.stderr.write(`(setup-data) ${line}\n`));
}

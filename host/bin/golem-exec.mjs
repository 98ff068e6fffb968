#!/usr/bin/env node
// The `golem-exec` command: runs the compiled CLI (build/host), which `npm install` / `npm run build` produce.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../build/host/cli/main.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('golem-exec: the project is not built yet: run `npm run build` in the golem-exec directory\n');
  process.exit(2);
}
const { main } = await import(cli);
await main();

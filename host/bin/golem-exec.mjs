#!/usr/bin/env node
// The `golem-exec` command: runs the compiled CLI (build/host). An installed package ships it built (npm pack runs the
// build first); in a checkout of the repository, `npm run build` makes it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../build/host/cli/main.js', import.meta.url));
if (!existsSync(cli)) {
  const checkout = existsSync(fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)));
  process.stderr.write(checkout
    ? 'golem-exec: the project is not built yet: run `npm run build` in the golem-exec directory\n'
    : `golem-exec: this installation is incomplete (${cli} is missing): reinstall the golem-exec package\n`);
  process.exit(2);
}
const { main } = await import(cli);
await main();

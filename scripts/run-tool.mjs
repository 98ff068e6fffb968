// Runs a node-based tool (jco, tsc) as a child process, with the preview2-shim preopens it needs, failing loudly.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT } from './paths.mjs';

const require = createRequire(import.meta.url);

/** Absolute path of a package's file, e.g. toolPath('typescript', 'bin/tsc'). */
export function toolPath(pkg, file) {
  const entry = require.resolve(pkg);
  let dir = dirname(entry);
  while (!dir.endsWith(join('node_modules', pkg))) dir = dirname(dir);
  return join(dir, file);
}

export function runNode(script, args, { preopens = false } = {}) {
  const nodeArgs = preopens ? ['--import', join(ROOT, 'scripts', 'shim-preopens.mjs'), script, ...args] : [script, ...args];
  const result = spawnSync(process.execPath, nodeArgs, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed with exit code ${result.status}`);
}

export const jco = (args) => runNode(toolPath('@bytecodealliance/jco', 'dist/jco.js'), args, { preopens: true });

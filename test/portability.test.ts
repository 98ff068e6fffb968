// Portability of the built components to a Golem worker (WASI 0.2 on wasmtime): each component may import only the
// WASI 0.2.x interfaces a worker provides (wasi:cli, wasi:clocks, wasi:filesystem, wasi:io, wasi:random: no wasi:http,
// no wasi:sockets), and must export exactly the golem:exec interfaces of wit/exec.wit (the seed's types and executor, and repl and files) with the signatures
// of wit/exec.wit. The reference is a dummy component made from wit/exec.wit itself (`jco embed --dummy` +
// `jco new`); test/wasmtime/interfaces.py renders every exported item with its full structural type (record fields,
// variant cases, parameter names and types, resources), so any changed signature shows up as a different line.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { setupWasmtime, venvPython } from '../scripts/setup-wasmtime.mjs';
import { LANGUAGES, ROOT } from './support/components.js';

const EXPORTS = ['golem:exec/executor@1.0.0', 'golem:exec/files@1.0.0', 'golem:exec/repl@1.0.0', 'golem:exec/types@1.0.0'];
/** What a Golem worker's WASI 0.2 provides; any 0.2.x version links (wasmtime's linker is semver-aware). */
const ALLOWED_IMPORT = /^wasi:(cli|clocks|filesystem|io|random)\/[a-z][a-z0-9-]*@0\.2\.\d+$/;

function run(command: string, args: string[]) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`))));
  });
}

const jco = (...args: string[]) =>
  run(process.execPath, ['--import', './scripts/shim-preopens.mjs', 'node_modules/@bytecodealliance/jco/dist/jco.js', ...args]);

interface Interfaces {
  imports: string[];
  exports: Record<string, string[]>;
}
let described: Record<string, Interfaces> = {};
let reference: Interfaces;
const componentFile = (language: string) => join(ROOT, 'build', `exec-${language}.wasm`);

beforeAll(async () => {
  await setupWasmtime();
  const dir = await mkdtemp(join(tmpdir(), 'golem-exec-portability-'));
  await jco('embed', '--dummy', '--wit', 'wit', '--world-name', 'exec', '-o', join(dir, 'reference.core.wasm'));
  await jco('new', join(dir, 'reference.core.wasm'), '-o', join(dir, 'reference.wasm'));
  const paths = [join(dir, 'reference.wasm'), ...LANGUAGES.map(componentFile)];
  described = JSON.parse(await run(venvPython(), ['test/wasmtime/interfaces.py', ...paths]));
  reference = described[paths[0]!]!;
}, 900_000);

test('the reference made from wit/exec.wit exports the golem:exec interfaces (the seed\'s two, repl and files)', () => {
  expect(Object.keys(reference.exports).sort()).toEqual(EXPORTS);
  expect(reference.exports['golem:exec/executor@1.0.0']).toContain('resource session');
});

for (const language of LANGUAGES) {
  describe(`exec-${language} portability`, () => {
    test('imports only wasi:cli, wasi:clocks, wasi:filesystem, wasi:io and wasi:random at 0.2.x', () => {
      const { imports } = described[componentFile(language)]!;
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.filter((name) => !ALLOWED_IMPORT.test(name)), 'imports a Golem worker does not provide').toEqual([]);
    });

    test('exports exactly the golem:exec interfaces as wit/exec.wit defines them (types, executor, repl, files)', () => {
      const { exports } = described[componentFile(language)]!;
      expect(Object.keys(exports).sort(), 'exported interfaces').toEqual(EXPORTS);
      for (const name of EXPORTS) expect(exports[name], `${name} differs from wit/exec.wit`).toEqual(reference.exports[name]);
    });
  });
}

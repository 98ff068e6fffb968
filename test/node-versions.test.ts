// What differs between the Node versions the package supports (20, 22, 24), checked on the Node running the suite
// (`npm test` runs it on the machine's Node and on Node 24): the V8 flag componentize-py's output needs on Node 20
// (extended-const, standard from Node 22, where the flag no longer exists), and jco's JSPI probe, whose stub is put in
// place only where WebAssembly.promising is missing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WASM_NODE_FLAGS } from '../scripts/node-flags.mjs';
import { ensureWasmFeatures } from '../host/src/engine/node-flags.js';
import { withCheapJspiProbe } from '../host/src/engine/jspi-probe.js';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** (module (global i32 (i32.add (i32.const 1) (i32.const 2)))): an extended constant expression. */
const EXTENDED_CONST = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 6, 9, 1, 127, 0, 65, 1, 65, 2, 106, 11]);

describe(`Node ${process.versions.node}`, () => {
  it('is a version the package declares in engines (20.19+, 22, 24+)', () => {
    expect(PACKAGE.engines.node).toBe('^20.19.0 || ^22.0.0 || >=24.0.0');
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(major === 20 ? minor! >= 19 : major === 22 || major! >= 24).toBe(true);
  });

  it('runs node with the wasm flags the tests and tools pass (none from Node 22 on)', () => {
    expect(WASM_NODE_FLAGS).toEqual(NODE_MAJOR < 22 ? ['--experimental-wasm-extended-const'] : []);
    // Node 24 rejects the old flag as a bad option: it must not be passed there, and must be accepted where it is.
    const result = spawnSync(process.execPath, [...WASM_NODE_FLAGS, '-e', `new WebAssembly.Module(new Uint8Array(${JSON.stringify([...EXTENDED_CONST])}))`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // And on Node 20 the flag is what makes the difference.
    if (NODE_MAJOR < 22) {
      const without = spawnSync(process.execPath, ['-e', `new WebAssembly.Module(new Uint8Array(${JSON.stringify([...EXTENDED_CONST])}))`], { encoding: 'utf8' });
      expect(without.status).not.toBe(0);
    }
  });

  it('compiles extended-const modules once the library has set its flags (the library needs no node flag)', () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `
      import { ensureWasmFeatures } from ${JSON.stringify(new URL('../build/host/engine/node-flags.js', import.meta.url).href)};
      ensureWasmFeatures();
      new WebAssembly.Module(new Uint8Array(${JSON.stringify([...EXTENDED_CONST])}));
      console.log('ok');`], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('ok\n');
    ensureWasmFeatures(); // and it is harmless in this process, whatever the version
  });

  it("stubs jco's JSPI probe only where WebAssembly.promising is missing, and removes the stub afterwards", async () => {
    const wasm = WebAssembly as unknown as { promising?: unknown };
    const before = wasm.promising;
    // Node 24 has JSPI (V8 13.6); Node 20 and 22 do not.
    expect(typeof before).toBe(NODE_MAJOR >= 24 ? 'function' : 'undefined');
    const during = await withCheapJspiProbe(async () => wasm.promising);
    if (before === undefined) expect(() => (during as () => void)()).toThrow('JSPI is not available');
    else expect(during).toBe(before);
    expect(wasm.promising).toBe(before);
  });
});

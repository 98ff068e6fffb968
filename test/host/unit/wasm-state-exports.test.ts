// host/src/engine/wasm/state-exports.ts: every mutable global, table and memory a module defines is exported as
// `golem-exec:state:<kind>:<index>` (index in its index space, imports first); imported and immutable ones are not.
// The rewritten modules are instantiated and their state read and written both through the new exports and through
// the module's own functions, so an export that names the wrong global shows.
import { describe, expect, it } from 'vitest';
import { STATE_EXPORT_PREFIX, exportState } from '../../../build/host/engine/wasm/state-exports.js';
import { SECTION, findSection, readU32, sections } from '../../../build/host/engine/wasm/sections.js';
import { compile, wat } from './wat.js';

const KINDS = ['func', 'table', 'memory', 'global', 'tag'];

/** The export section decoded: `name → kind:index`. */
function exportsOf(module: Uint8Array): Record<string, string> {
  const section = findSection(module, SECTION.export);
  if (!section) return {};
  const bytes = module.subarray(section.payloadStart, section.end);
  let [count, offset] = readU32(bytes, 0);
  const out: Record<string, string> = {};
  while (count-- > 0) {
    const [length, start] = readU32(bytes, offset);
    const name = new TextDecoder().decode(bytes.subarray(start, start + length));
    const kind = bytes[start + length]!;
    const [index, next] = readU32(bytes, start + length + 1);
    out[name] = `${KINDS[kind]}:${index}`;
    offset = next;
  }
  expect(offset).toBe(bytes.length);
  return out;
}

function stateExports(module: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(exportsOf(module)).filter(([name]) => name.startsWith(STATE_EXPORT_PREFIX)));
}

const MAIN = `(module
  (type $v (func))
  (import "env" "base" (global $base i32))
  (import "env" "counter" (global $counter (mut i32)))
  (import "env" "log" (func $log (param i32)))
  (import "env" "table" (table $itable 1 funcref))
  (global $sp (mut i32) (i32.const 1024))
  (global $k i32 (i32.const 8))
  (global $ext (mut i32) (i32.add (global.get $base) (i32.const 5)))
  (global $wide (mut i64) (i64.mul (i64.const 3) (i64.sub (i64.const 10) (i64.const 4))))
  (global $f (mut f64) (f64.const 1.5))
  (global $f32 f32 (f32.const 2.5))
  (global $ref (mut funcref) (ref.null func))
  (global $vec (mut v128) (v128.const i32x4 1 2 3 4))
  (global $last (mut i32) (i32.const 99))
  (table $t 2 funcref)
  (memory $m 1 2)
  (elem declare func $bump)
  (data (i32.const 0) "pristine")
  (func $bump (export "bump")
    (global.set $sp (i32.add (global.get $sp) (i32.const 1)))
    (global.set $ext (i32.mul (global.get $ext) (i32.const 2)))
    (global.set $last (i32.sub (global.get $last) (i32.const 1)))
    (global.set $wide (i64.add (global.get $wide) (i64.const 1))))
  (func (export "sp") (result i32) (global.get $sp))
  (func (export "ext") (result i32) (global.get $ext))
  (func (export "last") (result i32) (global.get $last))
  (func (export "wide") (result i64) (global.get $wide))
  (func (export "k") (result i32) (global.get $k))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "setEntry") (table.set $t (i32.const 1) (ref.func $bump)))
  (export "sp-too" (global $sp)))`;

function instantiate(module: Uint8Array) {
  const env = {
    base: new WebAssembly.Global({ value: 'i32', mutable: false }, 10),
    counter: new WebAssembly.Global({ value: 'i32', mutable: true }, 0),
    log: () => undefined,
    table: new WebAssembly.Table({ element: 'anyfunc', initial: 1 }),
  };
  const { exports } = new WebAssembly.Instance(compile(module), { env });
  return { env, exports: exports as Record<string, any> };
}

describe('exportState', () => {
  it('exports the defined mutable globals, the defined table and the memory, indexed after the imports', () => {
    const module = wat(MAIN);
    const out = exportState(module);
    expect(stateExports(out)).toEqual({
      'golem-exec:state:global:2': 'global:2', // $sp (globals 0 and 1 are imported)
      'golem-exec:state:global:4': 'global:4', // $ext ($k, global 3, is immutable)
      'golem-exec:state:global:5': 'global:5',
      'golem-exec:state:global:6': 'global:6', // ($f32, global 7, is immutable)
      'golem-exec:state:global:8': 'global:8',
      'golem-exec:state:global:9': 'global:9',
      'golem-exec:state:global:10': 'global:10',
      'golem-exec:state:table:1': 'table:1', // table 0 is imported
      'golem-exec:state:memory:0': 'memory:0',
    });
    // The module's own exports are all still there, in their order, before the added ones.
    const own = Object.keys(exportsOf(module));
    expect(Object.keys(exportsOf(out)).slice(0, own.length)).toEqual(own);
    expect(Object.keys(exportsOf(out))).toHaveLength(own.length + 9);
    // Only the export section changed: every other section has the same bytes.
    const payloads = (m: Uint8Array) => sections(m).filter((s) => s.id !== SECTION.export).map((s) => [...m.subarray(s.start, s.end)]);
    expect(payloads(out)).toEqual(payloads(module));
  });

  it('names the globals the module itself reads and writes (extended-const initialisers included)', () => {
    const { exports } = instantiate(exportState(wat(MAIN)));
    const global = (index: number) => exports[`golem-exec:state:global:${index}`] as WebAssembly.Global;
    // Initial values: what each global's initialiser computes (base is 10: 10 + 5 = 15; 3 * (10 - 4) = 18).
    expect([global(2).value, global(4).value, global(5).value, global(6).value, global(8).value, global(10).value])
      .toEqual([1024, 15, 18n, 1.5, null, 99]);
    expect(global(9)).toBeInstanceOf(WebAssembly.Global); // v128: exported, not readable from JS
    // The module changes its globals; the exports see it.
    exports.bump();
    exports.bump();
    expect([global(2).value, global(4).value, global(5).value, global(10).value]).toEqual([1026, 60, 20n, 97]);
    // The host changes them (as a reset does); the module sees it.
    global(2).value = 7;
    global(4).value = 15;
    global(5).value = 100n;
    global(10).value = 99;
    expect([exports.sp(), exports.ext(), exports.wide(), exports.last(), exports.k()]).toEqual([7, 15, 100n, 99, 8]);
    // The module's own export of $sp and the added one are the same global.
    expect(exports['sp-too'].value).toBe(7);
  });

  it('exports the defined table and memory, not the imported table', () => {
    const { env, exports } = instantiate(exportState(wat(MAIN)));
    const table = exports['golem-exec:state:table:1'] as WebAssembly.Table;
    expect(table).toBeInstanceOf(WebAssembly.Table);
    expect(table).not.toBe(env.table);
    expect(table.length).toBe(2);
    expect(table.get(1)).toBeNull();
    exports.setEntry();
    expect(table.get(1)).toBe(exports.bump);
    expect(env.table.get(0)).toBeNull();

    const memory = exports['golem-exec:state:memory:0'] as WebAssembly.Memory;
    expect(memory).toBeInstanceOf(WebAssembly.Memory);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 0, 8))).toBe('pristine');
    exports.store(0, 0x41414141);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 0, 8))).toBe('AAAAtine');
  });

  it('adds an export section where a module has none, before start, element, data-count, code and data', () => {
    const module = wat(`(module
      (global $g (mut i32) (i32.const 1))
      (table 1 funcref)
      (memory 1)
      (func $init (global.set $g (i32.const 41)) (i32.store8 (i32.const 3) (i32.const 7)))
      (func $unused (data.drop 0))
      (start $init)
      (elem (i32.const 0) $init)
      (data (i32.const 0) "abc"))`);
    expect(findSection(module, SECTION.export)).toBeUndefined();
    const out = exportState(module);
    // (wasm-tools adds a name section, id 0, at the end.)
    expect(sections(out).map((s) => s.id).filter((id) => id !== 0)).toEqual([1, 3, SECTION.table, SECTION.memory, SECTION.global, SECTION.export,
      SECTION.start, SECTION.element, SECTION.dataCount, SECTION.code, SECTION.data]);
    expect(exportsOf(out)).toEqual({
      'golem-exec:state:global:0': 'global:0',
      'golem-exec:state:table:0': 'table:0',
      'golem-exec:state:memory:0': 'memory:0',
    });
    const { exports } = new WebAssembly.Instance(compile(out)) as { exports: Record<string, any> };
    expect(exports['golem-exec:state:global:0'].value).toBe(41);
    expect(exports['golem-exec:state:table:0'].get(0)).toBeTypeOf('function');
    expect([...new Uint8Array(exports['golem-exec:state:memory:0'].buffer, 0, 4)]).toEqual([0x61, 0x62, 0x63, 7]);
  });

  it('appends the export section when nothing follows it', () => {
    const out = exportState(wat('(module (memory 1) (global (mut i64) (i64.const 5)))'));
    expect(sections(out).map((s) => s.id)).toEqual([SECTION.memory, SECTION.global, SECTION.export]);
    const { exports } = new WebAssembly.Instance(compile(out)) as { exports: Record<string, any> };
    expect(exports['golem-exec:state:global:0'].value).toBe(5n);
    expect(exports['golem-exec:state:memory:0']).toBeInstanceOf(WebAssembly.Memory);
  });

  it('returns the module itself when it has no state of its own (imported memory, immutable globals)', () => {
    const module = wat(`(module
      (import "env" "memory" (memory 1))
      (import "env" "g" (global (mut i32)))
      (global i32 (i32.const 1))
      (func (export "f")))`);
    expect(exportState(module)).toBe(module);
    const empty = wat('(module)');
    expect(exportState(empty)).toBe(empty);
  });

  it('leaves an imported memory out while exporting the globals after it', () => {
    const out = exportState(wat(`(module
      (import "env" "memory" (memory 1 2))
      (global (mut i32) (i32.const 3)))`));
    expect(exportsOf(out)).toEqual({ 'golem-exec:state:global:0': 'global:0' });
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const { exports } = new WebAssembly.Instance(compile(out), { env: { memory } }) as { exports: Record<string, any> };
    expect(exports['golem-exec:state:global:0'].value).toBe(3);
  });

  it('reads past imports and globals of every encoding to reach the right indices', () => {
    // Not instantiated (Node's V8 lacks typed function references): the export section is decoded instead.
    const out = exportState(wat(`(module
      (type (func))
      (import "env" "f" (func (type 0)))
      (import "env" "tag" (tag (param i32)))
      (import "env" "t" (table 1 (ref null 0)))
      (import "env" "m" (memory 1 65536 shared))
      (import "env" "g" (global (mut (ref null 0))))
      (import "env" "h" (global f64))
      (global (mut (ref null 0)) (ref.null 0))
      (global (mut (ref 0)) (ref.func 1))
      (global (mut f32) (f32.const 1))
      (global i64 (i64.const -9223372036854775808))
      (global (mut v128) (v128.const i64x2 -1 -1))
      (global (mut externref) (ref.null extern))
      (global (mut f64) (global.get 1))
      (table 1 (ref null 0))
      (table 3 externref)
      (func (type 0)))`));
    expect(exportsOf(out)).toEqual({
      'golem-exec:state:global:2': 'global:2',
      'golem-exec:state:global:3': 'global:3',
      'golem-exec:state:global:4': 'global:4',
      'golem-exec:state:global:6': 'global:6',
      'golem-exec:state:global:7': 'global:7',
      'golem-exec:state:global:8': 'global:8',
      'golem-exec:state:table:1': 'table:1',
      'golem-exec:state:table:2': 'table:2',
    });
  });

  it('throws on a constant instruction it does not know (the caller then keeps the module as built)', () => {
    expect(() => exportState(wat('(module (global (mut i32) (i32.div_s (i32.const 1) (i32.const 1))))')))
      .toThrow('unsupported constant instruction 0x6d');
    // Also in an immutable global: its initialiser must be read through to find the next global.
    expect(() => exportState(wat('(module (global i32 (i32.div_s (i32.const 1) (i32.const 1))) (global (mut i32) (i32.const 0)))')))
      .toThrow('unsupported constant instruction 0x6d');
    // A SIMD instruction other than v128.const.
    expect(() => exportState(wat('(module (global (mut v128) (i8x16.splat (i32.const 1))))')))
      .toThrow('unsupported constant instruction 0xfd 15');
  });

  it('does not change the module it was given', () => {
    const module = wat(MAIN);
    const copy = module.slice();
    exportState(module);
    expect(module).toEqual(copy);
  });
});

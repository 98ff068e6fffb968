// host/src/engine/wasm/memory-cap.ts: a defined memory gets a maximum (the cap, rounded down to pages, never below its
// initial size, never above a smaller maximum it had); modules without a memory of their own come back unchanged.
import { describe, expect, it } from 'vitest';
import { capMemory } from '../../../build/host/engine/wasm/memory-cap.js';
import { SECTION, findSection } from '../../../build/host/engine/wasm/sections.js';
import { compile, print, wat } from './wat.js';

const PAGE = 65536;
const MiB = 2 ** 20;

/** The memory section's payload bytes. */
function memoryPayload(module: Uint8Array): number[] {
  const section = findSection(module, SECTION.memory)!;
  return [...module.subarray(section.payloadStart, section.end)];
}

function exportedMemory(module: Uint8Array, imports: WebAssembly.Imports = {}): WebAssembly.Memory {
  return new WebAssembly.Instance(compile(module), imports).exports.memory as WebAssembly.Memory;
}

describe('capMemory', () => {
  it('returns the module itself when it defines no memory', () => {
    const none = wat('(module (func (export "f")))');
    expect(capMemory(none, 16 * MiB)).toBe(none);
    const empty = wat('(module)');
    expect(capMemory(empty, 16 * MiB)).toBe(empty);
  });

  it('leaves an imported memory alone (the module accepts any limits it is given)', () => {
    const module = wat('(module (import "env" "memory" (memory 1)) (func (export "size") (result i32) (memory.size)))');
    expect(capMemory(module, PAGE)).toBe(module);
    // An imported memory far beyond the cap still instantiates and can grow.
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(compile(capMemory(module, PAGE)), { env: { memory } });
    memory.grow(10);
    expect((instance.exports.size as () => number)()).toBe(11);
  });

  it('gives a memory without a maximum the cap: memory.grow fails past it', () => {
    const module = wat('(module (memory (export "memory") 2))');
    expect(memoryPayload(module)).toEqual([1, 0x00, 2]);
    const capped = capMemory(module, MiB);
    expect(memoryPayload(capped)).toEqual([1, 0x01, 2, 16]);
    expect(print(capped)).toContain('(memory (;0;) 2 16)');
    const memory = exportedMemory(capped);
    expect(memory.grow(14)).toBe(2);
    expect(memory.buffer.byteLength).toBe(MiB);
    expect(() => memory.grow(1)).toThrow(RangeError);
    // Uncapped, the same grow succeeds: the cap is what stops it.
    expect(exportedMemory(module).grow(15)).toBe(2);
  });

  it('rounds a cap that is not a whole number of pages down', () => {
    const module = wat('(module (memory 1))');
    expect(memoryPayload(capMemory(module, MiB + PAGE - 1))).toEqual([1, 0x01, 1, 16]);
    expect(memoryPayload(capMemory(module, 2 * PAGE - 1))).toEqual([1, 0x01, 1, 1]);
  });

  it('keeps a maximum smaller than the cap, and lowers one larger than it', () => {
    expect(memoryPayload(capMemory(wat('(module (memory 1 4))'), MiB))).toEqual([1, 0x01, 1, 4]);
    expect(memoryPayload(capMemory(wat('(module (memory 1 16))'), MiB))).toEqual([1, 0x01, 1, 16]);
    const lowered = capMemory(wat('(module (memory (export "memory") 1 100))'), MiB);
    expect(memoryPayload(lowered)).toEqual([1, 0x01, 1, 16]);
    expect(() => exportedMemory(lowered).grow(16)).toThrow(RangeError);
  });

  it('never sets a maximum below the initial size (the module must still instantiate)', () => {
    const capped = capMemory(wat('(module (memory (export "memory") 20))'), MiB);
    expect(memoryPayload(capped)).toEqual([1, 0x01, 20, 20]);
    const memory = exportedMemory(capped);
    expect(memory.buffer.byteLength).toBe(20 * PAGE);
    expect(() => memory.grow(1)).toThrow(RangeError);
    // A cap below one page: a zero-page memory gets maximum 0.
    expect(memoryPayload(capMemory(wat('(module (memory 0))'), 1000))).toEqual([1, 0x01, 0, 0]);
  });

  it('writes sizes that need multi-byte LEB128 and keeps every other section intact', () => {
    const module = wat(`(module
      (memory (export "memory") 200)
      (global (export "g") (mut i32) (i32.const 7))
      (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
      (data (i32.const 100) "\\2a"))`);
    const capped = capMemory(module, 16 * MiB);
    // 200 = 0xc8 0x01, 256 = 0x80 0x02: the payload grew by the flag change and the two-byte maximum.
    expect(memoryPayload(capped)).toEqual([1, 0x01, 0xc8, 0x01, 0x80, 0x02]);
    expect(capped.length).toBe(module.length + 2);
    const { exports } = new WebAssembly.Instance(compile(capped));
    expect((exports.load as (p: number) => number)(100)).toBe(42);
    expect((exports.g as WebAssembly.Global).value).toBe(7);
    const memory = exports.memory as WebAssembly.Memory;
    expect(memory.grow(56)).toBe(200);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it('refuses shared and 64-bit memories instead of writing limits of the wrong kind', () => {
    expect(() => capMemory(wat('(module (memory 1 2 shared))'), MiB)).toThrow('unsupported memory limits flags 0x3 (shared or 64-bit memory)');
    expect(() => capMemory(wat('(module (memory i64 1))'), MiB)).toThrow('unsupported memory limits flags 0x4');
  });

  it('does not change the module it was given', () => {
    const module = wat('(module (memory 1))');
    const copy = module.slice();
    capMemory(module, MiB);
    expect(module).toEqual(copy);
  });

  // A 32-bit memory may declare at most 65536 pages (4 GiB). The API refuses run limits above 4 GiB, but an
  // Executor's defaults (`defaults.memoryBytes`, EXEC_MEMORY_LIMIT_MB) are only checked to be positive: a default
  // of 8 GiB makes capMemory declare 131072 pages and every sandbox of that pool fails to compile.
  it('keeps the maximum within what a 32-bit memory can declare when the cap is above 4 GiB', () => {
    const capped = capMemory(wat('(module (memory 1))'), 8 * 2 ** 30);
    expect(WebAssembly.validate(capped as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(memoryPayload(capped)).toEqual([1, 0x01, 1, 0x80, 0x80, 0x04]);
  });
});

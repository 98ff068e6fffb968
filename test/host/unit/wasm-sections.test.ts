// host/src/engine/wasm/sections.ts: LEB128 reading/writing at its edge values, the section list of real modules
// (built with wasm-tools), and splicing a section in (replaced in place, inserted before a later one, appended).
import { describe, expect, it } from 'vitest';
import { SECTION, findSection, readU32, sections, skipLeb, withSection, writeName, writeU32 } from '../../../build/host/engine/wasm/sections.js';
import { compile, print, wat } from './wat.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('unsigned LEB128', () => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [16383, [0xff, 0x7f]],
    [16384, [0x80, 0x80, 0x01]],
    [2 ** 21 - 1, [0xff, 0xff, 0x7f]],
    [2 ** 28, [0x80, 0x80, 0x80, 0x80, 0x01]],
    [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
    // Past the int32 sign bit: a reader that used `|` / `<<` would go negative here.
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];

  it.each(cases)('writes %i in its shortest form and reads it back', (value, encoded) => {
    expect(writeU32(value)).toEqual(encoded);
    expect(readU32(bytes(...encoded), 0)).toEqual([value, encoded.length]);
  });

  it('reads at an offset and returns the offset after the value, leaving what follows', () => {
    const buffer = bytes(0xaa, 0xbb, 0xe5, 0x8e, 0x26, 0x05);
    expect(readU32(buffer, 2)).toEqual([624485, 5]);
    expect(readU32(buffer, 5)).toEqual([5, 6]);
  });

  it('reads padded (non-shortest) encodings, which the binary format allows', () => {
    expect(readU32(bytes(0x80, 0x80, 0x80, 0x80, 0x00), 0)).toEqual([0, 5]);
    expect(readU32(bytes(0x81, 0x80, 0x00), 0)).toEqual([1, 3]);
  });

  it('throws on a value cut off by the end of the bytes', () => {
    expect(() => readU32(bytes(0x80), 0)).toThrow('truncated LEB128 in wasm module');
    expect(() => readU32(bytes(0xff, 0xff), 0)).toThrow('truncated LEB128');
    expect(() => readU32(bytes(), 0)).toThrow('truncated LEB128');
    expect(() => readU32(bytes(0x01), 1)).toThrow('truncated LEB128');
  });
});

describe('skipping a signed LEB128', () => {
  it.each([
    ['0', [0x00]],
    ['-1', [0x7f]],
    ['63', [0x3f]],
    ['64', [0xc0, 0x00]],
    ['-64', [0x40]],
    ['-65', [0xbf, 0x7f]],
    ['i32 min', [0x80, 0x80, 0x80, 0x80, 0x78]],
    ['i64 min', [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]],
  ])('skips %s whole', (_name, encoded) => {
    expect(skipLeb(bytes(...encoded, 0x0b), 0)).toBe(encoded.length);
    expect(skipLeb(bytes(0x0b, ...encoded, 0x0b), 1)).toBe(encoded.length + 1);
  });

  // skipLeb has a `truncated LEB128` throw, but it can never fire: a missing byte reads as 0 (no continuation bit),
  // so a value cut off by the end of the bytes is "skipped" to an offset past the end.
  it('throws on a value cut off by the end of the bytes (as readU32 does)', () => {
    expect(() => skipLeb(bytes(0x80), 0)).toThrow('truncated LEB128');
    expect(() => skipLeb(bytes(0x0b, 0xff, 0xff), 1)).toThrow('truncated LEB128');
  });
});

describe('names', () => {
  it('are the UTF-8 length then the UTF-8 bytes', () => {
    expect(writeName('')).toEqual([0]);
    expect(writeName('ab')).toEqual([2, 0x61, 0x62]);
    expect(writeName('é€')).toEqual([5, 0xc3, 0xa9, 0xe2, 0x82, 0xac]);
    const long = 'x'.repeat(200);
    expect(writeName(long).slice(0, 3)).toEqual([0xc8, 0x01, 0x78]);
    expect(writeName(long)).toHaveLength(202);
  });
});

const MODULE = `(module
  (type (func (result i32)))
  (import "env" "f" (func (type 0)))
  (memory 1)
  (global (mut i32) (i32.const 1))
  (export "g" (global 0))
  (func (type 0) (i32.const 42))
  (data (i32.const 0) "hi")
  (@custom "note" "x"))`;

describe('the section list', () => {
  it('lists each section of a module with its id and byte range, custom sections included', () => {
    const module = wat(MODULE);
    const found = sections(module);
    expect(found.map((s) => s.id)).toEqual([1, SECTION.import, 3, SECTION.memory, SECTION.global, SECTION.export, SECTION.code, SECTION.data, 0]);
    expect(found[0]!.start).toBe(8);
    for (let i = 0; i < found.length; i++) {
      const section = found[i]!;
      const [size, payloadStart] = readU32(module, section.start + 1);
      expect(section.payloadStart).toBe(payloadStart);
      expect(section.end).toBe(payloadStart + size);
      expect(section.end).toBe(i + 1 < found.length ? found[i + 1]!.start : module.length);
    }
    const memory = findSection(module, SECTION.memory)!;
    expect([...module.subarray(memory.payloadStart, memory.end)]).toEqual([0x01, 0x00, 0x01]);
    expect(findSection(module, SECTION.table)).toBeUndefined();
  });

  it('is empty for a module with no sections, and refuses what is not a core module', () => {
    expect(sections(wat('(module)'))).toEqual([]);
    expect(() => sections(bytes(0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0))).toThrow('not a wasm core module (bad magic)');
    expect(() => sections(new TextEncoder().encode('hello, world'))).toThrow('bad magic');
  });
});

describe('withSection', () => {
  const names = (module: Uint8Array) => sections(module).map((s) => s.id);

  it('replaces an existing section in place, also when its size needs more LEB bytes than before', () => {
    const module = wat(MODULE);
    // A global section of more than 127 bytes (its size takes two LEB bytes): 60 immutable i32 globals of `i32.const 0`.
    const payload = [...writeU32(60), ...Array.from({ length: 60 }, () => [0x7f, 0x00, 0x41, 0x00, 0x0b]).flat()];
    expect(payload.length).toBeGreaterThan(127);
    const out = withSection(module, SECTION.global, payload, []);
    expect(names(out)).toEqual(names(module));
    const global = findSection(out, SECTION.global)!;
    expect(global.payloadStart - global.start).toBe(3); // id + a 2-byte size
    expect([...out.subarray(global.payloadStart, global.end)]).toEqual(payload);
    // Everything before and after is unchanged.
    const old = findSection(module, SECTION.global)!;
    expect(out.subarray(0, global.start)).toEqual(module.subarray(0, old.start));
    expect(out.subarray(global.end)).toEqual(module.subarray(old.end));
    // The export of global 0 now names an immutable global: still a valid module.
    expect(WebAssembly.Module.exports(compile(out))).toEqual([{ name: 'g', kind: 'global' }]);
  });

  it('inserts a missing section before the first of the later sections given', () => {
    const module = wat('(module (func) (start 0) (data "x"))');
    const payload = [1, ...writeName('f'), 0x00, 0x00];
    const out = withSection(module, SECTION.export, payload, [SECTION.start, SECTION.code, SECTION.data]);
    expect(names(out)).toEqual([1, 3, SECTION.export, SECTION.start, SECTION.code, 11]);
    expect(WebAssembly.Module.exports(compile(out))).toEqual([{ name: 'f', kind: 'function' }]);
  });

  it('appends a missing section when none of the later ones is there', () => {
    const module = wat('(module (memory 1))');
    const out = withSection(module, SECTION.export, [1, ...writeName('m'), 0x02, 0x00], [SECTION.code, SECTION.data]);
    expect(names(out)).toEqual([SECTION.memory, SECTION.export]);
    expect(out.subarray(0, module.length)).toEqual(module);
    expect(WebAssembly.Module.exports(compile(out))).toEqual([{ name: 'm', kind: 'memory' }]);
    expect(print(out)).toContain('(export "m" (memory 0))');
  });

  it('does not change the module it was given', () => {
    const module = wat(MODULE);
    const copy = module.slice();
    withSection(module, SECTION.memory, [1, 0x00, 0x02], []);
    expect(module).toEqual(copy);
  });
});

// Exports every piece of a core module's mutable state that JavaScript could not otherwise reach: its mutable globals
// (a module keeps its stack pointer, TLS base and the WASI adapter's state pointer there), its tables and its
// memories, under reserved names. The sandbox thread snapshots them after the warm-up and puts them back after every
// run (instance-state.ts): a run starts from the instance's pristine state without a new instance. Exports added at
// load time change nothing the guest can observe; the .wasm artifacts stay as built.
import { SECTION, readU32, sections, skipLeb, withSection, writeName, writeU32 } from './sections.js';

export const STATE_EXPORT_PREFIX = 'golem-exec:state:';
const KIND = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;

/** A value type: one byte, or a GC reference type with its heap type. */
function skipValType(bytes: Uint8Array, offset: number): number {
  const type = bytes[offset++];
  return type === 0x63 || type === 0x64 ? skipLeb(bytes, offset) : offset;
}

function skipLimits(bytes: Uint8Array, offset: number): number {
  const flags = bytes[offset++]!;
  offset = skipLeb(bytes, offset);
  return flags & 0x01 ? skipLeb(bytes, offset) : offset;
}

/** Skips a constant expression (the instructions a global's initialiser may use), through its `end`. */
function skipConstExpr(bytes: Uint8Array, offset: number): number {
  for (;;) {
    const op = bytes[offset++];
    switch (op) {
      case 0x0b:
        return offset;
      case 0x41: case 0x42: case 0x23: case 0xd2: // i32/i64.const, global.get, ref.func
        offset = skipLeb(bytes, offset);
        break;
      case 0x43:
        offset += 4;
        break;
      case 0x44:
        offset += 8;
        break;
      case 0xd0: // ref.null heaptype
        offset = skipLeb(bytes, offset);
        break;
      case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: // extended-const arithmetic
        break;
      case 0xfd: { // v128.const
        const [sub, next] = readU32(bytes, offset);
        if (sub !== 12) throw new Error(`unsupported constant instruction 0xfd ${sub}`);
        offset = next + 16;
        break;
      }
      default:
        throw new Error(`unsupported constant instruction 0x${op?.toString(16)}`);
    }
  }
}

interface StateIndex {
  globals: number[];
  tables: number[];
  memories: number[];
}

/** Indices (in each index space) of the mutable globals, tables and memories the module defines. */
function definedState(module: Uint8Array): StateIndex {
  const imported = { table: 0, memory: 0, global: 0 };
  const state: StateIndex = { globals: [], tables: [], memories: [] };
  for (const section of sections(module)) {
    const bytes = module.subarray(section.payloadStart, section.end);
    let [count, offset] = readU32(bytes, 0);
    if (section.id === SECTION.import) {
      for (let i = 0; i < count; i++) {
        for (let name = 0; name < 2; name++) {
          const [length, next] = readU32(bytes, offset);
          offset = next + length;
        }
        const kind = bytes[offset++];
        if (kind === KIND.func) offset = skipLeb(bytes, offset);
        else if (kind === KIND.table) (offset = skipLimits(bytes, skipValType(bytes, offset))), imported.table++;
        else if (kind === KIND.memory) (offset = skipLimits(bytes, offset)), imported.memory++;
        else if (kind === KIND.global) (offset = skipValType(bytes, offset) + 1), imported.global++;
        else if (kind === KIND.tag) offset = skipLeb(bytes, offset + 1);
        else throw new Error(`unsupported import kind ${kind}`);
      }
    } else if (section.id === SECTION.global) {
      for (let i = 0; i < count; i++) {
        offset = skipValType(bytes, offset);
        if (bytes[offset++] === 1) state.globals.push(imported.global + i);
        offset = skipConstExpr(bytes, offset);
      }
    } else if (section.id === SECTION.table) {
      for (let i = 0; i < count; i++) state.tables.push(imported.table + i);
    } else if (section.id === SECTION.memory) {
      for (let i = 0; i < count; i++) state.memories.push(imported.memory + i);
    }
  }
  return state;
}

/**
 * A copy of `module` that also exports its mutable state as `golem-exec:state:<kind>:<index>`; its tables only with
 * `tables` (false when no module of the component can change a table after instantiation: scripts/table-facts.mjs).
 */
export function exportState(module: Uint8Array, { tables = true } = {}): Uint8Array {
  const state = definedState(module);
  if (!tables) state.tables = [];
  const added: number[] = [];
  let n = 0;
  const add = (kind: number, label: string, index: number) => {
    added.push(...writeName(`${STATE_EXPORT_PREFIX}${label}:${index}`), kind, ...writeU32(index));
    n++;
  };
  for (const index of state.globals) add(KIND.global, 'global', index);
  for (const index of state.tables) add(KIND.table, 'table', index);
  for (const index of state.memories) add(KIND.memory, 'memory', index);
  if (n === 0) return module;
  const existing = sections(module).find((section) => section.id === SECTION.export);
  let count = 0;
  let entries: Uint8Array = new Uint8Array(0);
  if (existing) {
    const bytes = module.subarray(existing.payloadStart, existing.end);
    const [c, offset] = readU32(bytes, 0);
    count = c;
    entries = bytes.subarray(offset);
  }
  const payload = [...writeU32(count + n), ...entries, ...added];
  return withSection(module, SECTION.export, payload, [SECTION.start, SECTION.element, SECTION.dataCount, SECTION.code, SECTION.data]);
}

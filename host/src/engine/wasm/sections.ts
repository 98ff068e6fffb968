// The few pieces of the wasm binary format the host rewrites at load time (memory-cap.ts, state-exports.ts): LEB128
// integers, the section list, and splicing a section's payload. Core modules only (jco has split the component).

export const SECTION = { import: 2, table: 4, memory: 5, global: 6, export: 7, start: 8, element: 9, code: 10, data: 11, dataCount: 12 } as const;

/** Reads an unsigned LEB128 at `offset`; returns the value and the offset after it. */
export function readU32(bytes: Uint8Array, offset: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[offset++];
    if (byte === undefined) throw new Error('truncated LEB128 in wasm module');
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, offset];
    shift += 7;
  }
}

/** Skips a signed LEB128 at `offset` (any width); returns the offset after it. */
export function skipLeb(bytes: Uint8Array, offset: number): number {
  for (;;) {
    const byte = bytes[offset++];
    if (byte === undefined) throw new Error('truncated LEB128 in wasm module');
    if ((byte & 0x80) === 0) return offset;
  }
}

export function writeU32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function writeName(name: string): number[] {
  const bytes = new TextEncoder().encode(name);
  return [...writeU32(bytes.length), ...bytes];
}

export interface Section {
  id: number;
  /** Offset of the section id byte. */
  start: number;
  payloadStart: number;
  end: number;
}

export function sections(module: Uint8Array): Section[] {
  if (module[0] !== 0x00 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) {
    throw new Error('not a wasm core module (bad magic)');
  }
  const found: Section[] = [];
  let offset = 8;
  while (offset < module.length) {
    const start = offset;
    const id = module[offset++]!;
    const [size, payloadStart] = readU32(module, offset);
    found.push({ id, start, payloadStart, end: payloadStart + size });
    offset = payloadStart + size;
  }
  return found;
}

export function findSection(module: Uint8Array, id: number): Section | undefined {
  return sections(module).find((section) => section.id === id);
}

/**
 * A copy of `module` with the section `id` given `payload`: replaced where it is, or (absent) inserted before the
 * first section that must follow it (`before`: ids of later sections in the binary's order).
 */
export function withSection(module: Uint8Array, id: number, payload: number[], before: readonly number[]): Uint8Array {
  const all = sections(module);
  const existing = all.find((section) => section.id === id);
  const at = existing ?? all.find((section) => before.includes(section.id));
  const spliceStart = at ? at.start : module.length;
  const spliceEnd = existing ? existing.end : spliceStart;
  const bytes = [id, ...writeU32(payload.length), ...payload];
  const out = new Uint8Array(module.length - (spliceEnd - spliceStart) + bytes.length);
  out.set(module.subarray(0, spliceStart), 0);
  out.set(bytes, spliceStart);
  out.set(module.subarray(spliceEnd), spliceStart + bytes.length);
  return out;
}

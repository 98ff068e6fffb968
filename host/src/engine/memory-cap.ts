// Gives a core module's own linear memory a maximum size. The component toolchains declare memories without a maximum,
// so an allocation bomb grows the instance towards 4 GiB (and the host's RSS with it) before anything fails. With a
// declared maximum, `memory.grow` fails at the cap: the guest's allocator reports out-of-memory at once, and the host
// process stays small. Only memories the module defines are capped; modules that import the memory accept any limits.

const WASM_PAGE = 65536;
const MEMORY_SECTION = 5;

/** Reads an unsigned LEB128 at `offset`; returns the value and the offset after it. */
function readU32(bytes: Uint8Array, offset: number): [number, number] {
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

function writeU32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export interface MemoryDeclaration {
  minPages: number;
  maxPages: number | undefined;
}

/** The memories a module defines itself (not imported ones). */
export function definedMemories(module: Uint8Array): MemoryDeclaration[] {
  const section = findSection(module, MEMORY_SECTION);
  if (!section) return [];
  return parseMemorySection(module.subarray(section.payloadStart, section.end)).memories;
}

/**
 * Returns a copy of `module` whose defined 32-bit memories have at most `maxBytes` (rounded down to whole pages, never
 * below a memory's initial size: a module must still instantiate). Returns `module` itself when it defines no memory.
 */
export function capMemory(module: Uint8Array, maxBytes: number): Uint8Array {
  const section = findSection(module, MEMORY_SECTION);
  if (!section) return module;
  const { memories } = parseMemorySection(module.subarray(section.payloadStart, section.end));
  const capPages = Math.floor(maxBytes / WASM_PAGE);
  const payload: number[] = writeU32(memories.length);
  for (const memory of memories) {
    const max = Math.max(memory.minPages, Math.min(capPages, memory.maxPages ?? Infinity));
    payload.push(0x01, ...writeU32(memory.minPages), ...writeU32(max));
  }
  const header = [MEMORY_SECTION, ...writeU32(payload.length)];
  const out = new Uint8Array(module.length - (section.end - section.start) + header.length + payload.length);
  out.set(module.subarray(0, section.start), 0);
  out.set(header, section.start);
  out.set(payload, section.start + header.length);
  out.set(module.subarray(section.end), section.start + header.length + payload.length);
  return out;
}

function findSection(module: Uint8Array, id: number) {
  if (module[0] !== 0x00 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) {
    throw new Error('not a wasm core module (bad magic)');
  }
  let offset = 8;
  while (offset < module.length) {
    const start = offset;
    const sectionId = module[offset++];
    const [size, payloadStart] = readU32(module, offset);
    const end = payloadStart + size;
    if (sectionId === id) return { start, payloadStart, end };
    offset = end;
  }
  return undefined;
}

function parseMemorySection(payload: Uint8Array) {
  let [count, offset] = readU32(payload, 0);
  const memories: MemoryDeclaration[] = [];
  while (count-- > 0) {
    const flags = payload[offset++] ?? 0;
    if (flags & ~0x01) throw new Error(`unsupported memory limits flags 0x${flags.toString(16)} (shared or 64-bit memory)`);
    let minPages: number;
    let maxPages: number | undefined;
    [minPages, offset] = readU32(payload, offset);
    if (flags & 0x01) [maxPages, offset] = readU32(payload, offset);
    memories.push({ minPages, maxPages });
  }
  return { memories };
}

export const PAGE_BYTES = WASM_PAGE;

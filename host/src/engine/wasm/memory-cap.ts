// Gives a core module's own linear memory a maximum size. The component toolchains declare memories without a maximum,
// so an allocation bomb grows the instance towards 4 GiB (and the host's RSS with it) before anything fails. With a
// declared maximum, `memory.grow` fails at the cap: the guest's allocator reports out-of-memory at once, and the host
// process stays small. Only memories the module defines are capped; modules that import the memory accept any limits.
import { SECTION, findSection, readU32, withSection, writeU32 } from './sections.js';

const WASM_PAGE = 65536;
/** A 32-bit memory has at most 65536 pages (4 GiB); a larger declared maximum does not compile. */
const MAX_PAGES = 65536;

interface MemoryDeclaration {
  minPages: number;
  maxPages: number | undefined;
}

/**
 * Returns a copy of `module` whose defined 32-bit memories have at most `maxBytes` (rounded down to whole pages, never
 * below a memory's initial size: a module must still instantiate). Returns `module` itself when it defines no memory.
 */
export function capMemory(module: Uint8Array, maxBytes: number): Uint8Array {
  const section = findSection(module, SECTION.memory);
  if (!section) return module;
  const memories = parseMemorySection(module.subarray(section.payloadStart, section.end));
  const capPages = Math.min(MAX_PAGES, Math.floor(maxBytes / WASM_PAGE));
  const payload: number[] = writeU32(memories.length);
  for (const memory of memories) {
    const max = Math.max(memory.minPages, Math.min(capPages, memory.maxPages ?? Infinity));
    payload.push(0x01, ...writeU32(memory.minPages), ...writeU32(max));
  }
  return withSection(module, SECTION.memory, payload, []);
}

function parseMemorySection(payload: Uint8Array): MemoryDeclaration[] {
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
  return memories;
}

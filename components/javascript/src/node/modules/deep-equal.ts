// The comparison of assert.deepEqual / deepStrictEqual and util.isDeepStrictEqual (Node's "Comparison details"):
// primitives by == or Object.is, then prototypes (strict), dates, regular expressions, errors, boxed primitives,
// typed arrays by bytes, maps and sets by entries (deeply, in any order), and own enumerable properties.
import { Buffer } from 'buffer';

export function deepEqual(a: unknown, b: unknown, strict: boolean, seen = new Map<unknown, unknown>()): boolean {
  if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tagA = Object.prototype.toString.call(a);
  if (tagA !== Object.prototype.toString.call(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date && b instanceof Date && a.getTime() !== b.getTime()) return false;
  if (a instanceof RegExp && b instanceof RegExp && (String(a) !== String(b) || a.lastIndex !== b.lastIndex)) return false;
  if (a instanceof Error && b instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
  if (['[object Number]', '[object String]', '[object Boolean]', '[object BigInt]', '[object Symbol]'].includes(tagA) && !Object.is((a as any).valueOf(), (b as any).valueOf())) {
    return false;
  }
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer as ArrayBuffer, v.byteOffset, v.byteLength);
    if (a.byteLength !== b.byteLength || !bytes(a).equals(bytes(b))) return false;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a) {
      if (b.has(key)) {
        if (!deepEqual(value, b.get(key), strict, seen)) return false;
      } else if (typeof key !== 'object' || ![...b].some(([k, v]) => deepEqual(key, k, strict, seen) && deepEqual(value, v, strict, seen))) {
        return false;
      }
    }
  }
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    for (const value of a) {
      if (!b.has(value) && (typeof value !== 'object' || ![...b].some((other) => deepEqual(value, other, strict, seen)))) return false;
    }
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  if (!keysA.every((k) => Object.hasOwn(b, k) && deepEqual((a as any)[k], (b as any)[k], strict, seen))) return false;
  if (strict) {
    const symbols = (o: object) => Object.getOwnPropertySymbols(o).filter((s) => Object.prototype.propertyIsEnumerable.call(o, s));
    const symbolsA = symbols(a);
    if (symbolsA.length !== symbols(b).length) return false;
    if (!symbolsA.every((s) => Object.prototype.propertyIsEnumerable.call(b, s) && deepEqual((a as any)[s], (b as any)[s], strict, seen))) return false;
  }
  return true;
}

export const isDeepStrictEqual = (a: unknown, b: unknown) => deepEqual(a, b, true);

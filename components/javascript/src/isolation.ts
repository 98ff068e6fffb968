// Fresh globals for every run. At start-up (pre-initialised into the component snapshot) we record every own
// property of the global object and of every intrinsic reachable from it; after each run, whatever the program added,
// replaced or deleted there is put back. So that everything stays restorable, the program cannot freeze, seal or
// make non-configurable properties on those objects: Object.freeze(Array.prototype) is a no-op here.

interface Snapshot {
  target: object;
  proto: object | null;
  keys: (string | symbol)[];
  descriptors: PropertyDescriptor[];
  /** Data property values, for the fast identity check. */
  values: unknown[];
}

const snapshots: Snapshot[] = [];
const protectedObjects = new WeakSet<object>();

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** The well-known intrinsics that no global property names. */
function hiddenIntrinsics(): unknown[] {
  const proto = Object.getPrototypeOf;
  const asyncGen = async function* () {};
  const gen = function* () {};
  return [
    proto(Int8Array),
    proto(Int8Array.prototype),
    proto(gen),
    proto(gen).prototype,
    proto(asyncGen),
    proto(asyncGen).prototype,
    proto(async function () {}),
    proto([][Symbol.iterator]()),
    proto(proto([][Symbol.iterator]())),
    proto(new Map()[Symbol.iterator]()),
    proto(new Set()[Symbol.iterator]()),
    proto(''[Symbol.iterator]()),
    proto(/a/[Symbol.matchAll](''))
  ];
}

function record(target: object) {
  const keys = Reflect.ownKeys(target);
  const descriptors = keys.map((k) => Object.getOwnPropertyDescriptor(target, k)!);
  snapshots.push({ target, proto: Object.getPrototypeOf(target), keys, descriptors, values: descriptors.map((d) => ('value' in d ? d.value : d.get)) });
  protectedObjects.add(target);
}

/** Records the pristine state. Call once, at start-up, after the runtime's own globals are in place. */
export function snapshotGlobals(extra: object[] = []): void {
  guardIntegrityChanges();
  const seen = new Set<object>();
  const queue: unknown[] = [globalThis, ...hiddenIntrinsics(), ...extra];
  // Two levels: the objects globals name (constructors, namespaces) and what hangs off them (prototypes, methods).
  for (let depth = 0; depth < 3 && queue.length; depth++) {
    const next: unknown[] = [];
    for (const value of queue.splice(0)) {
      if (!isObject(value) || seen.has(value)) continue;
      seen.add(value);
      record(value);
      for (const key of Reflect.ownKeys(value)) {
        const d = Object.getOwnPropertyDescriptor(value, key)!;
        for (const v of [d.value, d.get, d.set]) if (isObject(v)) next.push(v);
      }
      next.push(Object.getPrototypeOf(value));
    }
    queue.push(...next);
  }
}

function changed(s: Snapshot): boolean {
  const { target, keys, values, descriptors } = s;
  if (Reflect.ownKeys(target).length !== keys.length || Object.getPrototypeOf(target) !== s.proto) return true;
  for (let i = 0; i < keys.length; i++) {
    const d = descriptors[i];
    if ('value' in d) {
      if (!Object.prototype.hasOwnProperty.call(target, keys[i]) || (target as any)[keys[i]] !== values[i]) {
        // Getters on prototypes throw for the prototype itself; those are accessors, never reach here.
        return true;
      }
    } else {
      const now = Object.getOwnPropertyDescriptor(target, keys[i]);
      if (!now || now.get !== d.get || now.set !== d.set) return true;
    }
  }
  return false;
}

function restore(s: Snapshot): void {
  const { target, keys, descriptors } = s;
  const known = new Set(keys);
  for (const key of Reflect.ownKeys(target)) if (!known.has(key)) Reflect.deleteProperty(target, key);
  for (let i = 0; i < keys.length; i++) Reflect.defineProperty(target, keys[i], descriptors[i]);
  if (Object.getPrototypeOf(target) !== s.proto) Reflect.setPrototypeOf(target, s.proto);
}

/** Puts back every recorded object the run changed; returns how many there were. */
export function restoreGlobals(): number {
  let restored = 0;
  for (const s of snapshots) {
    if (changed(s)) {
      restore(s);
      restored++;
    }
  }
  return restored;
}

function guardIntegrityChanges() {
  const O = Object;
  const R = Reflect;
  const { freeze, seal, preventExtensions, defineProperty, defineProperties } = O;
  const reflectPreventExtensions = R.preventExtensions;
  const reflectDefineProperty = R.defineProperty;
  const configurable = (d: PropertyDescriptor) => ({ ...d, configurable: true });
  const wrap = <F extends Function>(original: F, replacement: Function): F => {
    Object.defineProperty(replacement, 'name', { value: original.name });
    Object.defineProperty(replacement, 'length', { value: original.length });
    return replacement as unknown as F;
  };
  O.freeze = wrap(freeze, <T>(o: T) => (isObject(o) && protectedObjects.has(o) ? o : freeze(o)));
  O.seal = wrap(seal, <T>(o: T) => (isObject(o) && protectedObjects.has(o) ? o : seal(o)));
  O.preventExtensions = wrap(preventExtensions, <T>(o: T) => (isObject(o) && protectedObjects.has(o) ? o : preventExtensions(o)));
  R.preventExtensions = wrap(reflectPreventExtensions, (o: object) => (protectedObjects.has(o) ? false : reflectPreventExtensions(o)));
  O.defineProperty = wrap(defineProperty, (o: object, k: PropertyKey, d: PropertyDescriptor) => defineProperty(o, k, protectedObjects.has(o) ? configurable(d) : d));
  R.defineProperty = wrap(reflectDefineProperty, (o: object, k: PropertyKey, d: PropertyDescriptor) => reflectDefineProperty(o, k, protectedObjects.has(o) ? configurable(d) : d));
  O.defineProperties = wrap(defineProperties, (o: object, props: PropertyDescriptorMap) => {
    if (!protectedObjects.has(o)) return defineProperties(o, props);
    for (const key of Reflect.ownKeys(props)) defineProperty(o, key, configurable((props as any)[key]));
    return o;
  });
}

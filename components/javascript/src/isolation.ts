// Fresh globals for every run. At start-up (pre-initialised into the component snapshot) we record every own
// property of the global object and of every intrinsic reachable from it; after each run, whatever the program added,
// replaced or deleted there is put back. So that everything stays restorable, the program cannot freeze, seal or
// make non-configurable properties on those objects: Object.freeze(Array.prototype) is a no-op here.
//
// The check runs after every run over every recorded object (~1,100 objects, ~3,300 properties, in an interpreter:
// it was ~4 ms of a 7 ms hello-world run), so it is written for speed and for safety against the program it follows:
// it calls only functions captured here at start-up (the program may have replaced Reflect.ownKeys, Set.prototype.has
// or the array iterator), uses indexed loops, allocates nothing but one key list per object, and reads only data
// properties (reading an accessor would run the program's getter). What cannot be seen cheaply from outside — changed
// attributes and prototypes — is caught where it happens: the functions that can do it are wrapped at start-up and
// mark the object for a full restore (see `redefined`).

const { ownKeys, deleteProperty, defineProperty, setPrototypeOf, apply } = Reflect;
const { getPrototypeOf, getOwnPropertyDescriptor } = Object;
// The legacy lookups read an own accessor's getter/setter without allocating a descriptor (and return undefined for
// an own data property).
const objectProto = Object.prototype as unknown as Record<string, Function>;
const lookupGetter = objectProto.__lookupGetter__;
const lookupSetter = objectProto.__lookupSetter__;

interface Snapshot {
  target: object;
  proto: object | null;
  /** Own keys, in the engine's order. */
  keys: (string | symbol)[];
  descriptors: PropertyDescriptor[];
  /** Key → its index in `keys` (a null-prototype object: `in` runs no code of the program's). */
  index: Record<string | symbol, number>;
  /** The writable data properties' keys and values, for the identity check. */
  dataKeys: (string | symbol)[];
  dataValues: unknown[];
  /** Indexes in `keys` of the accessor properties. */
  accessors: number[];
}

const snapshots: Snapshot[] = [];
/** Recorded object → its index in `snapshots`. Read through the Map method captured here (the program may replace it). */
const snapshotIndex = new Map<object, number>();
const mapGet = Map.prototype.get;
const indexOf = (o: object): number | undefined => apply(mapGet, snapshotIndex, [o]);
const isProtected = (o: object): boolean => indexOf(o) !== undefined;
/**
 * Recorded objects whose property attributes or prototype the program may have changed since the last restore,
 * through defineProperty, setPrototypeOf and their relatives: the only ways to turn a data property into an accessor,
 * change attributes or swap a prototype. The check reads no property of these (it could now call the program's
 * getter); they are restored in full. Indexes into `snapshots`, each once (`isRedefined`).
 */
const redefined: number[] = [];
const isRedefined: boolean[] = [];

function markRedefined(o: object) {
  const at = indexOf(o);
  if (at === undefined || isRedefined[at]) return;
  isRedefined[at] = true; // an own element since start-up (see snapshotGlobals): no setter of the program's runs
  append(redefined, at);
}

/**
 * Appends to one of our arrays by defining the element: `a[a.length] = v` and `push` look the index up on
 * Array.prototype first, where the program may have put a setter that swallows the value.
 */
function append<T>(array: T[], value: T): void {
  defineProperty(array, array.length, { value, writable: true, enumerable: true, configurable: true });
}

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

function snapshotOf(target: object, proto: object | null, keys: (string | symbol)[], descriptors: PropertyDescriptor[]): Snapshot {
  const snapshot: Snapshot = { target, proto, keys, descriptors, index: Object.create(null), dataKeys: [], dataValues: [], accessors: [] };
  for (let i = 0; i < keys.length; i++) {
    const d = descriptors[i];
    snapshot.index[keys[i]] = i;
    if ('value' in d) {
      // A read-only value can change only through defineProperty (see `redefined`) or by deleting and adding the key
      // again (the key order changes): reading it is not needed. Most recorded objects are methods, whose only own
      // properties, `length` and `name`, are read-only.
      if (!d.writable) continue;
      append(snapshot.dataKeys, keys[i]);
      append(snapshot.dataValues, d.value);
    } else {
      append(snapshot.accessors, i);
    }
  }
  return snapshot;
}

function record(target: object) {
  const keys = ownKeys(target);
  snapshotIndex.set(target, snapshots.length);
  snapshots.push(snapshotOf(target, getPrototypeOf(target), keys, keys.map((k) => getOwnPropertyDescriptor(target, k)!)));
}

/** Records the pristine state. Call once, at start-up, after the runtime's own globals are in place. */
export function snapshotGlobals(extra: object[] = []): void {
  guardIntegrityChanges();
  const seen = new Set<object>();
  const queue: unknown[] = [globalThis, ...hiddenIntrinsics(), ...extra];
  // The global object, what globals name (constructors, namespaces), what hangs off those (prototypes, static
  // methods) and what hangs off prototypes (methods: `Array.prototype.map.x = 1` must not survive a run either). The
  // methods cost little per run: their own properties, `length` and `name`, are read-only (see snapshotOf).
  for (let depth = 0; depth < 4 && queue.length; depth++) {
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
  for (let i = 0; i < snapshots.length; i++) isRedefined[i] = false;
  for (const root of resultPathRoots()) {
    const at = isObject(root) ? indexOf(root) : undefined;
    if (at !== undefined && !resultPath.includes(at)) append(resultPath, at);
  }
}

/**
 * Whether the program changed `s.target`: not the same own keys in the same order (something added or deleted),
 * another value in a data property, another function in an accessor (or a data property in its place). Attribute and
 * prototype changes: `redefined`.
 */
function changed(s: Snapshot): boolean {
  const { target, keys } = s;
  const current = ownKeys(target);
  if (current.length !== keys.length) return true;
  for (let i = 0; i < keys.length; i++) if (current[i] !== keys[i]) return true;
  const { dataKeys, dataValues, accessors } = s;
  for (let i = 0; i < dataKeys.length; i++) if ((target as any)[dataKeys[i]] !== dataValues[i]) return true;
  for (let i = 0; i < accessors.length; i++) {
    const then = s.descriptors[accessors[i]];
    const key = keys[accessors[i]];
    if (apply(lookupGetter, target, [key]) !== then.get || apply(lookupSetter, target, [key]) !== then.set) return true;
  }
  return false;
}

function restore(at: number): void {
  const s = snapshots[at];
  const { target, keys, descriptors, index } = s;
  const full = isRedefined[at] === true;
  const current = ownKeys(target);
  const present: Record<string | symbol, true> = Object.create(null);
  for (let i = 0; i < current.length; i++) {
    if (current[i] in index) present[current[i]] = true;
    else deleteProperty(target, current[i]);
  }
  for (let i = 0; i < keys.length; i++) {
    const d = descriptors[i];
    // Unless the program redefined attributes, a key still present is still a data property (or an accessor):
    // only what is missing or holds another value is defined again.
    if (full || !(keys[i] in present) || !('value' in d) || (target as any)[keys[i]] !== d.value) defineProperty(target, keys[i], d);
  }
  if (getPrototypeOf(target) !== s.proto) setPrototypeOf(target, s.proto);
  // A deleted key put back comes last: record the engine's order again, or every later check would see a change.
  const order = ownKeys(target);
  for (let i = 0; i < order.length; i++) {
    if (order[i] !== keys[i]) {
      const reordered: PropertyDescriptor[] = [];
      for (let j = 0; j < order.length; j++) append(reordered, descriptors[index[order[j]]]);
      snapshots[at] = snapshotOf(target, s.proto, order, reordered);
      return;
    }
  }
}

/**
 * What a run's result is assembled through (its output decoded to strings, the result record, the bindings that lower
 * it into the host's memory): the global object (the names the code reads), the language's core constructors with
 * their prototypes, the namespaces and the iterator prototypes. Indexes into `snapshots`. A program that breaks
 * something else breaks only its own run under a host that resets the instance (and is stopped at its time limit
 * if what it broke hangs).
 */
const resultPath: number[] = [];

function resultPathRoots(): unknown[] {
  const typedArray = Object.getPrototypeOf(Uint8Array);
  const constructors: Function[] = [
    Object, Function, Array, String, Number, BigInt, Boolean, Symbol, Error, TypeError, RangeError, Promise, Map, Set,
    WeakMap, WeakSet, ArrayBuffer, DataView, Uint8Array, typedArray, RegExp, TextEncoder, TextDecoder,
  ];
  return [globalThis, Math, JSON, Reflect, ...constructors.flatMap((c) => [c, c.prototype]), ...hiddenIntrinsics()];
}

/**
 * Puts back the recorded objects the run changed; returns how many there were. `scope` 'result-path' is for hosts
 * that put the whole instance back after the run themselves (settings.hostIsolation): only `resultPath` is checked,
 * and what the program redefined (attributes, prototypes: `redefined`), so that a program that broke the runtime's
 * objects still gets its output back intact; the rest is the host's to undo. ~1.2 ms a hello-world instead of 3.3-7.7 ms
 * for all of them (timed inside the guest, Session 7).
 */
export function restoreGlobals(scope: 'all' | 'result-path' = 'all'): number {
  let restored = 0;
  const restoreIfChanged = (at: number) => {
    if (isRedefined[at] || changed(snapshots[at])) {
      restore(at);
      isRedefined[at] = false;
      restored++;
    }
  };
  if (scope === 'all') {
    for (let i = 0; i < snapshots.length; i++) restoreIfChanged(i);
  } else {
    for (let i = 0; i < resultPath.length; i++) restoreIfChanged(resultPath[i]);
    for (let i = 0; i < redefined.length; i++) if (isRedefined[redefined[i]]) restoreIfChanged(redefined[i]);
  }
  for (let i = 0; i < redefined.length; i++) isRedefined[redefined[i]] = false;
  redefined.length = 0;
  return restored;
}

function guardIntegrityChanges() {
  const O = Object;
  const R = Reflect;
  const { freeze, seal, preventExtensions, defineProperties } = O;
  const objectDefineProperty = O.defineProperty;
  const reflectPreventExtensions = R.preventExtensions;
  const proto = Object.prototype as unknown as Record<string, Function>;
  const { __defineGetter__: defineGetter, __defineSetter__: defineSetter } = proto;
  const configurable = (d: PropertyDescriptor) => ({ ...d, configurable: true });
  /** A descriptor about to be applied to `o`: a recorded object is marked for a full restore and stays configurable. */
  const redefining = (o: object, d: PropertyDescriptor) => {
    if (!isObject(o) || !isProtected(o)) return d;
    markRedefined(o);
    return configurable(d);
  };
  const wrap = <F extends Function>(original: F, replacement: Function): F => {
    objectDefineProperty(replacement, 'name', { value: original.name });
    objectDefineProperty(replacement, 'length', { value: original.length });
    return replacement as unknown as F;
  };
  O.freeze = wrap(freeze, <T>(o: T) => (isObject(o) && isProtected(o) ? o : freeze(o)));
  O.seal = wrap(seal, <T>(o: T) => (isObject(o) && isProtected(o) ? o : seal(o)));
  O.preventExtensions = wrap(preventExtensions, <T>(o: T) => (isObject(o) && isProtected(o) ? o : preventExtensions(o)));
  R.preventExtensions = wrap(reflectPreventExtensions, (o: object) => (isObject(o) && isProtected(o) ? false : reflectPreventExtensions(o)));
  O.defineProperty = wrap(objectDefineProperty, (o: object, k: PropertyKey, d: PropertyDescriptor) => objectDefineProperty(o, k, redefining(o, d)));
  R.defineProperty = wrap(defineProperty, (o: object, k: PropertyKey, d: PropertyDescriptor) => defineProperty(o, k, redefining(o, d)));
  O.defineProperties = wrap(defineProperties, (o: object, props: PropertyDescriptorMap) => {
    if (!isObject(o) || !isProtected(o)) return defineProperties(o, props);
    const keys = ownKeys(props);
    for (let i = 0; i < keys.length; i++) objectDefineProperty(o, keys[i], redefining(o, (props as any)[keys[i]]));
    return o;
  });
  // Prototypes: the check no longer reads them, so every way to swap one marks the object.
  const objectSetPrototypeOf = O.setPrototypeOf;
  O.setPrototypeOf = wrap(objectSetPrototypeOf, (o: any, p: object | null) => {
    if (isObject(o)) markRedefined(o);
    return objectSetPrototypeOf(o, p);
  });
  R.setPrototypeOf = wrap(setPrototypeOf, (o: object, p: object | null) => {
    if (isObject(o)) markRedefined(o);
    return setPrototypeOf(o, p);
  });
  const protoAccessor = getOwnPropertyDescriptor(proto, '__proto__')!;
  const protoSetter = protoAccessor.set!;
  objectDefineProperty(proto, '__proto__', {
    ...protoAccessor,
    set: wrap(protoSetter, function (this: unknown, p: object | null) {
      if (isObject(this)) markRedefined(this);
      return apply(protoSetter, this, [p]);
    }),
  });
  // The legacy accessors define getters and setters too.
  proto.__defineGetter__ = wrap(defineGetter, function (this: object, key: PropertyKey, getter: Function) {
    if (isObject(this)) markRedefined(this);
    return apply(defineGetter, this, [key, getter]);
  });
  proto.__defineSetter__ = wrap(defineSetter, function (this: object, key: PropertyKey, setter: Function) {
    if (isObject(this)) markRedefined(this);
    return apply(defineSetter, this, [key, setter]);
  });
}

// `util`: inspect/format (node/inspect.ts), parseArgs (@pkgjs/parseargs, Node's own implementation published on its
// own), promisify/callbackify, types, deprecate, inherits, isDeepStrictEqual.
import { parseArgs } from '@pkgjs/parseargs';
import type { RunContext } from '../context.js';
import { format, inspect } from '../inspect.js';
import { isDeepStrictEqual } from './deep-equal.js';
import { invalidArgType, nodeError } from './errors.js';

const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');

const tag = (value: unknown) => Object.prototype.toString.call(value).slice(8, -1);
const typedArrayTag = (value: unknown) => (ArrayBuffer.isView(value) && !(value instanceof DataView) ? tag(value) : undefined);
const isBoxed = (value: unknown) =>
  typeof value === 'object' && value !== null && [Number, String, Boolean, BigInt, Symbol].some((Box) => {
    try {
      (Box.prototype.valueOf as Function).call(value);
      return true;
    } catch {
      return false;
    }
  });

export const types = {
  isPromise: (v: unknown) => v instanceof Promise,
  isRegExp: (v: unknown) => tag(v) === 'RegExp',
  isDate: (v: unknown) => tag(v) === 'Date',
  isMap: (v: unknown) => tag(v) === 'Map',
  isSet: (v: unknown) => tag(v) === 'Set',
  isWeakMap: (v: unknown) => tag(v) === 'WeakMap',
  isWeakSet: (v: unknown) => tag(v) === 'WeakSet',
  isMapIterator: (v: unknown) => tag(v) === 'Map Iterator',
  isSetIterator: (v: unknown) => tag(v) === 'Set Iterator',
  isGeneratorObject: (v: unknown) => tag(v) === 'Generator',
  isArrayBuffer: (v: unknown) => tag(v) === 'ArrayBuffer',
  isSharedArrayBuffer: (v: unknown) => tag(v) === 'SharedArrayBuffer',
  isAnyArrayBuffer: (v: unknown) => tag(v) === 'ArrayBuffer' || tag(v) === 'SharedArrayBuffer',
  isArrayBufferView: (v: unknown) => ArrayBuffer.isView(v),
  isDataView: (v: unknown) => v instanceof DataView,
  isTypedArray: (v: unknown) => typedArrayTag(v) !== undefined,
  ...Object.fromEntries(
    ['Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'].map(
      (name) => [`is${name}`, (v: unknown) => typedArrayTag(v) === name],
    ),
  ),
  isNativeError: (v: unknown) => v instanceof Error,
  isAsyncFunction: (v: unknown) => typeof v === 'function' && /^Async/.test(v.constructor?.name ?? ''),
  isGeneratorFunction: (v: unknown) => typeof v === 'function' && /GeneratorFunction$/.test(v.constructor?.name ?? ''),
  isBoxedPrimitive: isBoxed,
  isNumberObject: (v: unknown) => typeof v === 'object' && tag(v) === 'Number',
  isStringObject: (v: unknown) => typeof v === 'object' && tag(v) === 'String',
  isBooleanObject: (v: unknown) => typeof v === 'object' && tag(v) === 'Boolean',
  isSymbolObject: (v: unknown) => typeof v === 'object' && tag(v) === 'Symbol',
  isBigIntObject: (v: unknown) => typeof v === 'object' && tag(v) === 'BigInt',
  isProxy: () => false, // not observable from JavaScript (README, Known gaps)
};

export function createUtil(ctx: RunContext) {
  /** Node's util.promisify: the function's own custom form if it has one; setTimeout/setImmediate resolve after the delay. */
  function promisify(original: unknown): Function {
    if (typeof original !== 'function') throw invalidArgType('original', 'of type function', original);
    const custom = (original as any)[promisifyCustom];
    if (custom !== undefined) {
      if (typeof custom !== 'function') throw invalidArgType('util.promisify.custom', 'of type function', custom);
      return custom;
    }
    if (original === globalThis.setTimeout) return (ms?: number, value?: unknown) => new Promise((resolve) => globalThis.setTimeout(resolve, ms, value));
    if (original === (globalThis as any).setImmediate) return (value?: unknown) => new Promise((resolve) => (globalThis as any).setImmediate(resolve, value));
    function fn(this: unknown, ...args: unknown[]) {
      return new Promise((resolve, reject) => {
        (original as Function).call(this, ...args, (error: unknown, ...values: unknown[]) => (error ? reject(error) : resolve(values[0])));
      });
    }
    Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
    Object.defineProperty(fn, promisifyCustom, { value: fn, enumerable: false, writable: false, configurable: true });
    return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
  }
  promisify.custom = promisifyCustom;

  function callbackify(original: unknown) {
    if (typeof original !== 'function') throw invalidArgType('original', 'of type function', original);
    return function (this: unknown, ...args: unknown[]) {
      const callback = args.pop();
      if (typeof callback !== 'function') throw invalidArgType('last argument', 'of type function', callback);
      Promise.resolve(original.apply(this, args)).then(
        (value) => ctx.nextTick(callback, [null, value]),
        (reason) => {
          // Node turns a falsy rejection into an error, so the callback can tell failure from success.
          const error = reason ? reason : Object.assign(nodeError(Error, 'ERR_FALSY_VALUE_REJECTION', 'Promise was rejected with falsy value'), { reason });
          ctx.nextTick(callback, [error]);
        },
      );
    };
  }

  const warned = new Set<string>();
  function deprecate<T extends Function>(fn: T, message: string, code?: string): T {
    let warnedHere = false;
    return function (this: unknown, ...args: unknown[]) {
      if (!warnedHere && !(code !== undefined && warned.has(code))) {
        warnedHere = true;
        if (code !== undefined) warned.add(code);
        (globalThis as any).process.emitWarning(message, 'DeprecationWarning', code);
      }
      return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
    } as unknown as T;
  }

  return {
    inspect,
    format,
    formatWithOptions: (_options: object, ...args: unknown[]) => format(...args),
    parseArgs,
    types,
    isDeepStrictEqual,
    promisify,
    callbackify,
    deprecate,
    inherits: (ctor: Function, superCtor: Function) => {
      if (typeof ctor !== 'function') throw invalidArgType('ctor', 'of type function', ctor);
      if (typeof superCtor !== 'function') throw invalidArgType('superCtor', 'of type function', superCtor);
      Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
      Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
    },
    debuglog: () => Object.assign(() => {}, { enabled: false }),
    isArray: Array.isArray,
    TextEncoder,
    TextDecoder,
    stripVTControlCharacters: (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''),
    // Node leaves the text unstyled when the stream is not a terminal, which the sandbox's stdout never is.
    styleText: (_format: unknown, text: string) => text,
    toUSVString: (s: string) => String(s).toWellFormed(),
  };
}

// Intl and the locale-dependent methods, installed at build time as stand-ins that evaluate the real ones on a run's
// first use: `Intl` is a global getter, and the methods Intl changes (toLocaleString and its relatives, localeCompare,
// normalize) are stubs. The real ones are ./install.ts, bundled apart and kept as a comment (scripts/lazy-bundle.mjs):
// evaluated at build time they cost every instance ~30 MB more pre-initialised memory, which every run copies back;
// evaluated in a run they cost that run ~0.1 s (README, "What Intl costs"). The host's reset forgets them after the run.
import * as data from 'virtual:intl-data';
import { intl as intlBundle } from 'virtual:lazy-bundles';
import { evaluateBundle } from '../lazy-source.js';

// Captured at build time: a program may replace them before its first use of Intl.
const { apply, defineProperty } = Reflect;

/** The methods ./install.ts installs, by `<Constructor>.<name>`, with the prototypes they go on and their lengths. */
const STUBS: [object, string, string, number][] = [
  [Number.prototype, 'Number', 'toLocaleString', 0],
  [BigInt.prototype, 'BigInt', 'toLocaleString', 0],
  [Date.prototype, 'Date', 'toLocaleString', 0],
  [Date.prototype, 'Date', 'toLocaleDateString', 0],
  [Date.prototype, 'Date', 'toLocaleTimeString', 0],
  [Array.prototype, 'Array', 'toLocaleString', 0],
  [String.prototype, 'String', 'normalize', 0],
  [String.prototype, 'String', 'localeCompare', 1],
  [String.prototype, 'String', 'toLocaleLowerCase', 0],
  [String.prototype, 'String', 'toLocaleUpperCase', 0],
];

interface Installed {
  methods: Record<string, Function>;
}

let installed: Installed | undefined;

/** Evaluates ./install.ts once per run (it fills a fresh `Intl` and replaces the stubs); returns what it installed. */
function loadIntl(): Installed {
  if (installed) return installed;
  const intl = {};
  defineProperty(intl, Symbol.toStringTag, { value: 'Intl', writable: false, enumerable: false, configurable: true });
  defineProperty(globalThis, 'Intl', { value: intl, writable: true, enumerable: false, configurable: true });
  installed = evaluateBundle<Installed>(intlBundle, data);
  return installed;
}

/**
 * Marks Intl as not loaded, for after the rollback of a run or evaluation has put the stand-ins back (isolation.ts
 * restores `globalThis.Intl` to its getter): loading again evaluates ./install.ts again. Without this, a host that
 * keeps the instance (a REPL session between evaluations, a Golem worker between runs) found `installed` set while
 * the getter was back, and the getter then called itself ("too much recursion").
 */
export function forgetIntl(): void {
  installed = undefined;
}

export function installIntl(): void {
  defineProperty(globalThis, 'Intl', {
    enumerable: false,
    configurable: true,
    get: () => {
      loadIntl();
      return (globalThis as { Intl: unknown }).Intl;
    },
    set: (value: unknown) => defineProperty(globalThis, 'Intl', { value, writable: true, enumerable: false, configurable: true }),
  });
  for (const [proto, owner, name, length] of STUBS) {
    const key = `${owner}.${name}`;
    const stub = {
      [name](this: unknown, ...args: unknown[]) {
        return apply(loadIntl().methods[key], this, args);
      },
    }[name];
    defineProperty(stub, 'length', { value: length });
    defineProperty(proto, name, { value: stub, writable: true, enumerable: false, configurable: true });
  }
}

// Promises the engine settles through its own tasks (Blob and Response bodies, so anything piped through a
// CompressionStream / DecompressionStream into one; WebCrypto) are invisible to the run's idle check (RunContext.idle
// counts the program's timers and pending host work): a script that ends with `new Response(stream).arrayBuffer()
// .then(...)` returned before the engine settled it, and its output was lost (exit 0). Each such call now holds the run
// open until its promise settles, as Node's event loop does. Reads and writes of a stream's reader/writer are not held:
// a read on a stream nobody feeds does not keep Node alive either.
import type { RunContext } from './context.js';

/** The run that holds the calls made now (set by runProgram for the length of a run). */
let current: RunContext | undefined;

export function holdEngineAsyncFor(ctx: RunContext | undefined): void {
  current = ctx;
}

const BODY_READERS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'];

/** The methods wrapped, per prototype (a method the engine lacks is skipped). */
function tracked(): [object | undefined, string[]][] {
  const g = globalThis as unknown as Record<string, { prototype?: object } | undefined>;
  return [
    [g.Response?.prototype, BODY_READERS],
    [g.Blob?.prototype, BODY_READERS],
    [g.SubtleCrypto?.prototype, ['decrypt', 'deriveBits', 'deriveKey', 'digest', 'encrypt', 'exportKey', 'generateKey', 'importKey', 'sign', 'unwrapKey', 'verify', 'wrapKey']],
  ];
}

/** Wraps the methods once, at build time (before the pristine globals are recorded: the wrappers are the originals). */
export function trackEngineAsync(): void {
  for (const [proto, names] of tracked()) {
    if (!proto) continue;
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      const original = descriptor?.value;
      if (typeof original !== 'function') continue;
      const wrapped = {
        [name](this: unknown, ...args: unknown[]) {
          const promise = Reflect.apply(original, this, args) as Promise<unknown>;
          const release = current?.hold();
          if (release) Promise.prototype.then.call(promise, release, release);
          return promise;
        },
      }[name]!;
      Object.defineProperty(proto, name, { ...descriptor, value: wrapped });
    }
  }
}

// jco's bindings probe for JSPI while instantiating: `try { WebAssembly.promising(f) } catch { … }` for every export
// with a post-return. Where JSPI is missing (Node 20/22), each probe throws V8's "WebAssembly.promising is not a
// function", and rendering that message makes V8 re-parse the enclosing function, which in jco's output is the
// whole ~24,000-line instantiation generator: ~10 ms a probe, ~120-170 ms an instance. A stub that throws an error
// of its own takes the same fallback path without the re-parse (measured: JS instantiation ~190 ms → ~20 ms).

const JSPI_MISSING = () => {
  throw new Error('JSPI is not available in this Node version');
};

/** Runs `instantiate` with the stub in place where JSPI is missing; removes the stub afterwards. */
export async function withCheapJspiProbe<T>(instantiate: () => Promise<T>): Promise<T> {
  const wasm = WebAssembly as unknown as { promising?: unknown };
  if (wasm.promising !== undefined) return instantiate();
  wasm.promising = JSPI_MISSING;
  try {
    return await instantiate();
  } finally {
    delete wasm.promising;
  }
}

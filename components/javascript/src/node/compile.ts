// Compiled user code: the transform (transform.ts, after typescript.ts for .ts/.mts/.cts files) and evaluation of a file's source into a function, cached across
// runs by source text (and by path for files later runs use again) so a warm run parses nothing, and the column
// corrections that map stack locations in wrapped code back to the user's file.
import { getSettings } from '../settings.js';
import { TransformSyntaxError, transform, type Transformed } from './transform.js';
import { isTypeScript, stripTypes } from './typescript.js';

/** A syntax error in a user file: the run ends as `compilation-failed`. */
export class CompileError extends Error {
  constructor(readonly diagnostic: string) {
    super(diagnostic);
  }
}

export interface Compiled extends Transformed {
  fn: Function;
}

/** Compiled user code, by kind + path + source text. Bounded so a long-lived instance does not grow without end. */
const compiledCache = new Map<string, Compiled>();
const COMPILED_CACHE_LIMIT = 256;

/**
 * Transformed user code, by kind + source text alone. A stateless run's files live in a directory of a new name
 * each time (`run-<hex>`), so the compiled cache above never hits for them; the transform is what costs (acorn runs
 * in the interpreter: ~0.6 s for a 30 KB program here, where evaluating the result takes a few ms), and it depends
 * on the source only. Bounded by entries and by the characters kept.
 */
const transformCache = new Map<string, Transformed>();
const TRANSFORM_CACHE_LIMIT = 256;
const TRANSFORM_CACHE_CHARS = 16 * 1024 * 1024;
let transformCacheChars = 0;

function cachedTransform(source: string, kind: 'module' | 'commonjs' | 'detect', typescript: boolean): Transformed {
  const key = `${typescript ? 'ts:' : ''}${kind}\0${source}`;
  let transformed = transformCache.get(key);
  if (!transformed) {
    // TypeScript keeps every position through stripping: line numbers and columns stay the file's own.
    const stripped = typescript ? stripTypes(source, kind) : { code: source, kind };
    transformed = transform(stripped.code, stripped.kind, { deadlineChecks: !getSettings().hostTimeout });
    const size = key.length + transformed.code.length;
    if (size <= TRANSFORM_CACHE_CHARS) {
      while (transformCache.size >= TRANSFORM_CACHE_LIMIT || transformCacheChars + size > TRANSFORM_CACHE_CHARS) {
        const [oldestKey, oldest] = transformCache.entries().next().value!;
        transformCache.delete(oldestKey);
        transformCacheChars -= oldestKey.length + oldest.code.length;
      }
      transformCache.set(key, transformed);
      transformCacheChars += size;
    }
  }
  return transformed;
}

/** File name → characters the wrapper adds on line 1, for correcting columns in stack traces. */
const prefixLengths = new Map<string, number>();

/** Empties the compiled-code cache (after the build-time warm-up, whose programs must leave nothing behind). */
export function forgetCompiledCode(): void {
  compiledCache.clear();
  prefixLengths.clear();
  transformCache.clear();
  transformCacheChars = 0;
}

/**
 * The compiled function of a user file. `ephemeral`: the file's path is used by this run only (a stateless run's
 * directory), so the compiled code is not kept by path and the caller forgets the path's stack-mapping data after the
 * run (`forgetLocations`).
 */
export function compile(absolute: string, source: string, kind: 'module' | 'commonjs' | 'detect', ephemeral: boolean): Compiled {
  const key = `${kind}\0${absolute}\0${source}`;
  let compiled = compiledCache.get(key);
  if (!compiled) {
    let transformed: Transformed;
    try {
      transformed = cachedTransform(source, kind, isTypeScript(absolute));
    } catch (error) {
      if (error instanceof TransformSyntaxError) throw new CompileError(syntaxDiagnostic(absolute, source, error));
      throw error;
    }
    let fn: Function;
    try {
      fn = (0, eval)(`${transformed.code}\n//# sourceURL=${absolute}`);
    } catch (error) {
      const e = error as SyntaxError & { lineNumber?: number; columnNumber?: number };
      throw new CompileError(syntaxDiagnostic(absolute, source, new TransformSyntaxError(e.message, e.lineNumber ?? 1, e.columnNumber ?? 1)));
    }
    compiled = { ...transformed, fn };
    // A path used once would only fill the cache (and keep its function alive): the transform cache serves those.
    if (!ephemeral) {
      if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.delete(compiledCache.keys().next().value!);
      compiledCache.set(key, compiled);
    }
  }
  prefixLengths.set(absolute, compiled.prefixLength);
  return compiled;
}

/** Forgets the stack-mapping data of paths only one run used, so a long-lived instance does not accumulate them. */
export function forgetLocations(paths: readonly string[]): void {
  for (const path of paths) prefixLengths.delete(path);
}

/** Stack frames in code evaluated under `path` (not a compiled file, e.g. REPL input) are the user's, unshifted. */
export function noteLocation(path: string): void {
  prefixLengths.set(path, 0);
}

/** Node's syntax error report: location line, the source line, a caret, then the error. */
export function syntaxDiagnostic(file: string, source: string, error: Pick<TransformSyntaxError, 'message' | 'line' | 'column'>): string {
  const line = source.split('\n')[error.line - 1] ?? '';
  return `${file}:${error.line}:${error.column}\n${line}\n${' '.repeat(Math.max(0, error.column - 1))}^\n\nSyntaxError: ${error.message}\n`;
}

/** Maps an engine stack location (`file:line:col`) to what the user should see; hides runtime-internal frames. */
export function userLocation(location: string): string | undefined {
  const match = /^(.*):(\d+):(\d+)$/.exec(location);
  if (!match) return undefined;
  const [, file, line, column] = match;
  const prefix = prefixLengths.get(file);
  if (prefix === undefined) return undefined;
  const col = line === '1' ? Math.max(1, Number(column) - prefix) : Number(column);
  return `${file}:${line}:${col}`;
}

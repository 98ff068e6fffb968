// Loads the program's modules the way Node does: CommonJS and ES modules from the sandbox volume (.js by
// package.json "type" or syntax detection, .mjs, .cjs, .json), relative and absolute specifiers, directory index and
// package.json "main", node_modules lookup, and the builtin modules (node:fs, path, ...). Every run gets a fresh
// module cache; compiled code is cached across runs by source text, so a warm run parses nothing.
import posix from 'path-browserify';
import { codeVolume } from '../volume/deferred.js';
import { VolumeError } from '../volume/errors.js';
import { builtinModule, isBuiltin } from './builtins.js';
import type { RunContext } from './context.js';
import { fsError } from './fs.js';
import { TransformSyntaxError, transform, type Transformed } from './transform.js';
import { getSettings } from '../settings.js';

/** A syntax error in a user file: the run ends as `compilation-failed`. */
export class CompileError extends Error {
  constructor(readonly diagnostic: string) {
    super(diagnostic);
  }
}

interface Compiled extends Transformed {
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

function cachedTransform(source: string, kind: 'module' | 'commonjs' | 'detect'): Transformed {
  const key = `${kind}\0${source}`;
  let transformed = transformCache.get(key);
  if (!transformed) {
    transformed = transform(source, kind, { deadlineChecks: !getSettings().hostTimeout });
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

interface ModuleRecord {
  path: string;
  exports: unknown;
  namespace?: Record<string, unknown>;
  evaluation?: Promise<void>;
  loaded: boolean;
}

const decoder = new TextDecoder();
const EXTENSIONS = ['.js', '.json', '.mjs', '.cjs'];

export class Loader {
  private readonly cache = new Map<string, ModuleRecord>();
  /** Paths of this run's files that no later run will use (see RunOptions.ephemeral). */
  private readonly ephemeralPaths: string[] = [];
  private readonly typeCache = new Map<string, 'module' | 'commonjs' | undefined>();

  constructor(
    private readonly ctx: RunContext,
    private readonly discard: (value: unknown) => unknown,
  ) {}

  private segmentsOf(absolute: string): string[] | undefined {
    const root = this.ctx.options.rootPath;
    if (absolute === root) return [];
    if (!absolute.startsWith(`${root}/`)) return undefined;
    return absolute.slice(root.length + 1).split('/');
  }

  private kindOf(absolute: string): 'file' | 'directory' | undefined {
    const segments = this.segmentsOf(absolute);
    if (!segments) return undefined;
    try {
      return codeVolume(this.ctx.options.volume).stat(segments)?.kind;
    } catch {
      return undefined;
    }
  }

  private read(absolute: string): string {
    const segments = this.segmentsOf(absolute);
    if (!segments) throw fsError('EACCES', 'open', absolute);
    try {
      return decoder.decode(codeVolume(this.ctx.options.volume).readFile(segments));
    } catch (error) {
      if (error instanceof VolumeError) throw fsError(error.code, 'open', absolute);
      throw error;
    }
  }

  private notFound(specifier: string, parent: string, esm: boolean): Error {
    if (esm) {
      return Object.assign(new Error(`Cannot find module '${posix.resolve(posix.dirname(parent), specifier)}' imported from ${parent}`), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    return Object.assign(new Error(`Cannot find module '${specifier}'\nRequire stack:\n- ${parent}`), { code: 'MODULE_NOT_FOUND', requireStack: [parent] });
  }

  /** Node's resolution for a specifier seen in `parent` (an absolute guest path). */
  resolve(specifier: string, parent: string, esm: boolean): string {
    if (isBuiltin(specifier)) return specifier.startsWith('node:') ? specifier : `node:${specifier}`;
    if (specifier.startsWith('node:')) throw this.notFound(specifier, parent, esm);
    if (specifier.startsWith('file://')) specifier = decodeURIComponent(new URL(specifier).pathname);
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier === '.' || specifier === '..';
    if (relative) {
      const base = posix.resolve(posix.dirname(parent), specifier);
      const found = esm ? (this.kindOf(base) === 'file' ? base : undefined) : this.resolveFile(base) ?? this.resolveDirectory(base);
      if (found) return found;
      throw this.notFound(specifier, parent, esm);
    }
    for (let dir = posix.dirname(parent); ; dir = posix.dirname(dir)) {
      const base = posix.join(dir, 'node_modules', specifier);
      const found = this.resolveFile(base) ?? this.resolveDirectory(base);
      if (found) return found;
      if (dir === '/' || dir === this.ctx.options.rootPath) break;
    }
    throw this.notFound(specifier, parent, esm);
  }

  private resolveFile(base: string): string | undefined {
    if (this.kindOf(base) === 'file') return base;
    for (const ext of EXTENSIONS) if (this.kindOf(base + ext) === 'file') return base + ext;
    return undefined;
  }

  private resolveDirectory(base: string): string | undefined {
    if (this.kindOf(base) !== 'directory') return undefined;
    const pkg = posix.join(base, 'package.json');
    if (this.kindOf(pkg) === 'file') {
      try {
        const json = JSON.parse(this.read(pkg));
        const main = typeof json.exports === 'string' ? json.exports : (json.exports?.['.']?.require ?? json.exports?.['.']?.default ?? json.main);
        if (typeof main === 'string') {
          const target = posix.resolve(base, main);
          const found = this.resolveFile(target) ?? this.resolveFile(posix.join(target, 'index'));
          if (found) return found;
        }
      } catch {
        // An unreadable package.json falls back to index.js, as Node does.
      }
    }
    return this.resolveFile(posix.join(base, 'index'));
  }

  /** The "type" of the nearest package.json (Node's rule for .js files). */
  private packageType(absolute: string): 'module' | 'commonjs' | undefined {
    const dir = posix.dirname(absolute);
    if (this.typeCache.has(dir)) return this.typeCache.get(dir);
    let type: 'module' | 'commonjs' | undefined;
    const pkg = posix.join(dir, 'package.json');
    if (this.kindOf(pkg) === 'file') {
      try {
        const json = JSON.parse(this.read(pkg));
        type = json.type === 'module' ? 'module' : 'commonjs';
      } catch {
        type = undefined;
      }
    } else if (dir !== this.ctx.options.rootPath && dir !== '/') {
      type = this.packageType(dir);
    }
    this.typeCache.set(dir, type);
    return type;
  }

  private compile(absolute: string, source: string, kind: 'module' | 'commonjs' | 'detect'): Compiled {
    const key = `${kind}\0${absolute}\0${source}`;
    let compiled = compiledCache.get(key);
    if (!compiled) {
      let transformed: Transformed;
      try {
        transformed = cachedTransform(source, kind);
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
      if (!this.ctx.options.ephemeral) {
        if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.delete(compiledCache.keys().next().value!);
        compiledCache.set(key, compiled);
      }
    }
    prefixLengths.set(absolute, compiled.prefixLength);
    if (this.ctx.options.ephemeral) this.ephemeralPaths.push(absolute);
    return compiled;
  }

  /** Forgets the stack-mapping data of paths only this run used, so a long-lived instance does not accumulate them. */
  forgetPaths(): void {
    for (const path of this.ephemeralPaths) prefixLengths.delete(path);
    this.ephemeralPaths.length = 0;
  }

  /** Runs the entry file as Node's main module. */
  async runMain(absolute: string): Promise<void> {
    const kind = this.formatOf(absolute);
    if (kind === 'json') {
      JSON.parse(this.read(absolute));
      return;
    }
    const compiled = this.compile(absolute, this.read(absolute), kind);
    if (compiled.isModule) await this.evaluateModule(absolute, compiled);
    else {
      this.evaluateCommonJs(absolute, compiled);
      this.ctx.drainNextTicks(); // as Node does when the main script returns, before promise reactions
    }
  }

  private formatOf(absolute: string): 'module' | 'commonjs' | 'detect' | 'json' {
    if (absolute.endsWith('.mjs')) return 'module';
    if (absolute.endsWith('.cjs')) return 'commonjs';
    if (absolute.endsWith('.json')) return 'json';
    return this.packageType(absolute) ?? 'detect';
  }

  // ---------------------------------------------------------------------------------------------------------------
  // CommonJS

  require(specifier: string, parent: string): unknown {
    if (typeof specifier !== 'string') {
      throw Object.assign(new TypeError(`The "id" argument must be of type string. Received ${typeof specifier}`), { code: 'ERR_INVALID_ARG_TYPE' });
    }
    const resolved = this.resolve(specifier, parent, false);
    if (resolved.startsWith('node:')) return builtinModule(resolved.slice(5), this.ctx, this);
    const cached = this.cache.get(resolved);
    if (cached) return cached.exports;
    const kind = this.formatOf(resolved);
    if (kind === 'json') {
      const record: ModuleRecord = { path: resolved, exports: undefined, loaded: false };
      this.cache.set(resolved, record);
      try {
        record.exports = JSON.parse(this.read(resolved));
      } catch (error) {
        this.cache.delete(resolved);
        if (error instanceof SyntaxError) error.message = `${resolved}: ${error.message}`;
        throw error;
      }
      return record.exports;
    }
    const compiled = this.compile(resolved, this.read(resolved), kind);
    if (compiled.isModule) {
      throw Object.assign(new Error(`require() of ES Module ${resolved} from ${parent} not supported.\nInstead change the require to a dynamic import() which is available in all CommonJS modules.`), { code: 'ERR_REQUIRE_ESM' });
    }
    return this.evaluateCommonJs(resolved, compiled);
  }

  private evaluateCommonJs(absolute: string, compiled: Compiled): unknown {
    const record: ModuleRecord = { path: absolute, exports: {}, loaded: false };
    this.cache.set(absolute, record);
    const module = {
      id: absolute === this.mainPath ? '.' : absolute,
      path: posix.dirname(absolute),
      filename: absolute,
      loaded: false,
      children: [],
      paths: [],
      get exports() {
        return record.exports;
      },
      set exports(value) {
        record.exports = value;
      },
    };
    this.mainPath ??= absolute;
    const require = Object.assign((specifier: string) => this.require(specifier, absolute), {
      resolve: (specifier: string) => this.resolve(specifier, absolute, false),
      cache: Object.create(null),
      main: this.mainModule ??= module,
    });
    try {
      compiled.fn.call(record.exports, record.exports, require, module, absolute, posix.dirname(absolute), this.ctx.tick, this.discard, (s: string) => this.dynamicImport(s, absolute));
    } catch (error) {
      this.cache.delete(absolute);
      throw error;
    }
    record.loaded = module.loaded = true;
    return record.exports;
  }

  private mainPath: string | undefined;
  private mainModule: object | undefined;

  // ---------------------------------------------------------------------------------------------------------------
  // ES modules

  /** import(): the namespace of a module (CommonJS modules appear with their exports as `default`). */
  dynamicImport(specifier: string, parent: string): Promise<Record<string, unknown>> {
    return (async () => this.load(String(specifier), parent))();
  }

  private async load(specifier: string, parent: string, type?: string): Promise<Record<string, unknown>> {
    const resolved = this.resolve(specifier, parent, true);
    if (resolved.startsWith('node:')) return namespaceOf(builtinModule(resolved.slice(5), this.ctx, this));
    const kind = this.formatOf(resolved);
    if (kind === 'json') {
      if (type !== 'json') {
        throw Object.assign(new TypeError(`Module "${resolved}" needs an import attribute of "type: json"`), { code: 'ERR_IMPORT_ATTRIBUTE_MISSING' });
      }
      const cached = this.cache.get(resolved);
      if (cached?.namespace) return cached.namespace;
      const exports = JSON.parse(this.read(resolved));
      const namespace = Object.freeze(Object.assign(Object.create(null), { default: exports }));
      this.cache.set(resolved, { path: resolved, exports, namespace, loaded: true });
      return namespace;
    }
    const cached = this.cache.get(resolved);
    if (cached) {
      if (!cached.namespace) cached.namespace = namespaceOf(cached.exports);
      // A cycle: the importer sees the module as it is so far, as with Node's live bindings before evaluation.
      if (cached.evaluation && cached.loaded) await cached.evaluation;
      return cached.namespace;
    }
    const compiled = this.compile(resolved, this.read(resolved), kind);
    if (!compiled.isModule) return namespaceOf(this.evaluateCommonJs(resolved, compiled));
    return this.evaluateModule(resolved, compiled);
  }

  private async evaluateModule(absolute: string, compiled: Compiled): Promise<Record<string, unknown>> {
    const namespace: Record<string, unknown> = Object.create(null);
    Object.defineProperty(namespace, Symbol.toStringTag, { value: 'Module' });
    const record: ModuleRecord = { path: absolute, exports: namespace, namespace, loaded: false };
    this.cache.set(absolute, record);
    const exportBinding = (name: string, getter: (() => unknown) | Record<string, unknown>) => {
      if (name === '*') {
        for (const key of Object.keys(getter)) if (key !== 'default' && !(key in namespace)) Object.defineProperty(namespace, key, { get: () => (getter as Record<string, unknown>)[key], enumerable: true });
      } else {
        Object.defineProperty(namespace, name, { get: getter as () => unknown, enumerable: true });
      }
    };
    const meta = { url: `file://${absolute}`, filename: absolute, dirname: posix.dirname(absolute), resolve: (s: string) => `file://${this.resolve(s, absolute, true)}` };
    record.evaluation = compiled.fn(
      (specifier: string, type?: string) => this.load(specifier, absolute, type),
      exportBinding,
      meta,
      this.ctx.tick,
      this.discard,
      (s: string) => this.dynamicImport(s, absolute),
    );
    record.loaded = true;
    try {
      await record.evaluation;
    } catch (error) {
      this.cache.delete(absolute);
      throw error;
    }
    return namespace;
  }
}

function namespaceOf(exports: unknown): Record<string, unknown> {
  const namespace: Record<string, unknown> = Object.create(null);
  if (exports && (typeof exports === 'object' || typeof exports === 'function')) {
    for (const key of Object.keys(exports)) if (key !== 'default') namespace[key] = (exports as Record<string, unknown>)[key];
  }
  namespace.default = exports;
  return namespace;
}

/** Node's syntax error report: location line, the source line, a caret, then the error. */
function syntaxDiagnostic(file: string, source: string, error: TransformSyntaxError): string {
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

// Loads the program's modules the way Node does: evaluates CommonJS and ES modules (resolution in resolve.ts,
// compiled code and its cache in compile.ts), keeps this run's module cache (every run gets a fresh one), serves the
// builtin modules (node:fs, path, ...) and gives ES modules importing CommonJS the namespace Node gives them.
import posix from 'path-browserify';
import { builtinModule } from './builtins.js';
import { compile, forgetLocations, type Compiled } from './compile.js';
import type { RunContext } from './context.js';
import { Resolver } from './resolve.js';

interface ModuleRecord {
  path: string;
  exports: unknown;
  namespace?: Record<string, unknown>;
  evaluation?: Promise<void>;
  loaded: boolean;
}

export class Loader {
  private readonly cache = new Map<string, ModuleRecord>();
  /** Paths of this run's files that no later run will use (see RunRequest.ephemeral). */
  private readonly ephemeralPaths: string[] = [];
  private readonly resolver: Resolver;

  constructor(
    private readonly ctx: RunContext,
    private readonly discard: (value: unknown) => unknown,
  ) {
    this.resolver = new Resolver(ctx);
  }

  /** Node's resolution for a specifier seen in `parent` (an absolute guest path). */
  resolve(specifier: string, parent: string, esm: boolean): string {
    return this.resolver.resolve(specifier, parent, esm);
  }

  private compile(absolute: string, source: string, kind: 'module' | 'commonjs' | 'detect'): Compiled {
    const { ephemeral } = this.ctx.request;
    const compiled = compile(absolute, source, kind, ephemeral);
    if (ephemeral) this.ephemeralPaths.push(absolute);
    return compiled;
  }

  /** Forgets the stack-mapping data of paths only this run used, so a long-lived instance does not accumulate them. */
  forgetPaths(): void {
    forgetLocations(this.ephemeralPaths);
    this.ephemeralPaths.length = 0;
  }

  /** Runs the entry file as Node's main module. */
  async runMain(absolute: string): Promise<void> {
    const kind = this.resolver.formatOf(absolute);
    if (kind === 'json') {
      JSON.parse(this.resolver.read(absolute));
      return;
    }
    const compiled = this.compile(absolute, this.resolver.read(absolute), kind);
    if (compiled.isModule) await this.evaluateModule(absolute, compiled);
    else {
      this.evaluateCommonJs(absolute, compiled);
      this.ctx.drainNextTicks(); // as Node does when the main script returns, before promise reactions
    }
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
    const kind = this.resolver.formatOf(resolved);
    if (kind === 'json') {
      const record: ModuleRecord = { path: resolved, exports: undefined, loaded: false };
      this.cache.set(resolved, record);
      try {
        record.exports = JSON.parse(this.resolver.read(resolved));
      } catch (error) {
        this.cache.delete(resolved);
        if (error instanceof SyntaxError) error.message = `${resolved}: ${error.message}`;
        throw error;
      }
      return record.exports;
    }
    const compiled = this.compile(resolved, this.resolver.read(resolved), kind);
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
    const kind = this.resolver.formatOf(resolved);
    if (kind === 'json') {
      if (type !== 'json') {
        throw Object.assign(new TypeError(`Module "${resolved}" needs an import attribute of "type: json"`), { code: 'ERR_IMPORT_ATTRIBUTE_MISSING' });
      }
      const cached = this.cache.get(resolved);
      if (cached?.namespace) return cached.namespace;
      const exports = JSON.parse(this.resolver.read(resolved));
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
    const compiled = this.compile(resolved, this.resolver.read(resolved), kind);
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

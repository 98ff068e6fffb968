// Node's module resolution over the run's volume: relative and absolute specifiers, the extensions Node tries,
// directory index and package.json "main"/"exports", node_modules lookup, builtin names, and each file's format
// (.mjs, .cjs, .json, and .js by the nearest package.json "type" or syntax detection; .mts, .cts and .ts likewise).
// As in Node 24, no TypeScript extension is tried for a specifier without one: `./util` does not find util.ts.
import posix from 'path-browserify';
import { codeVolume } from '../volume/deferred.js';
import { VolumeError } from '../volume/errors.js';
import { isBuiltin } from './builtins.js';
import type { RunContext } from './context.js';
import { fsError } from './fs.js';

const decoder = new TextDecoder();
const EXTENSIONS = ['.js', '.json', '.mjs', '.cjs'];

export type ModuleFormat = 'module' | 'commonjs' | 'detect' | 'json';

/** One run's resolution: absolute guest paths below the run's root, read through the volume the loader reads code from. */
export class Resolver {
  private readonly typeCache = new Map<string, 'module' | 'commonjs' | undefined>();

  constructor(private readonly ctx: RunContext) {}

  private segmentsOf(absolute: string): string[] | undefined {
    const root = this.ctx.request.rootPath;
    if (absolute === root) return [];
    if (!absolute.startsWith(`${root}/`)) return undefined;
    return absolute.slice(root.length + 1).split('/');
  }

  private kindOf(absolute: string): 'file' | 'directory' | undefined {
    const segments = this.segmentsOf(absolute);
    if (!segments) return undefined;
    try {
      return codeVolume(this.ctx.request.volume).stat(segments)?.kind;
    } catch {
      return undefined;
    }
  }

  /** A file's text; errors as the fs module reports them. */
  read(absolute: string): string {
    const segments = this.segmentsOf(absolute);
    if (!segments) throw fsError('EACCES', 'open', absolute);
    try {
      return decoder.decode(codeVolume(this.ctx.request.volume).readFile(segments));
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
      if (dir === '/' || dir === this.ctx.request.rootPath) break;
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
    } else if (dir !== this.ctx.request.rootPath && dir !== '/') {
      type = this.packageType(dir);
    }
    this.typeCache.set(dir, type);
    return type;
  }

  /** How a file is loaded: by extension, else the nearest package.json "type", else syntax detection (.js and .ts). */
  formatOf(absolute: string): ModuleFormat {
    if (absolute.endsWith('.mjs') || absolute.endsWith('.mts')) return 'module';
    if (absolute.endsWith('.cjs') || absolute.endsWith('.cts')) return 'commonjs';
    if (absolute.endsWith('.json')) return 'json';
    return this.packageType(absolute) ?? 'detect';
  }
}

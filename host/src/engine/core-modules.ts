// Finds the built components and compiles their core modules once per process (per memory cap), so every worker
// thread instantiates from already-compiled code (a WebAssembly.Module crosses to a worker without recompiling).
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capMemory } from './memory-cap.js';
import type { LanguageName } from './protocol.js';

/** The package root: host code lives in build/host/engine/ once compiled. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Where a language's jco transpilation lives. `EXEC_JS_QUICKJS_PATH` / `EXEC_PYTHON_WASI_PATH` (the ticket's names for
 * "load the engine from elsewhere") point at an alternative transpiled directory, e.g. a component built from a fork.
 */
export function bindingsDir(language: LanguageName): string {
  const override = language === 'javascript' ? process.env.EXEC_JS_QUICKJS_PATH : process.env.EXEC_PYTHON_WASI_PATH;
  return override ? resolve(override) : join(PACKAGE_ROOT, 'build', 'jco', language);
}

export function bindingsEntry(language: LanguageName): string {
  const dir = bindingsDir(language);
  const entry = readdirSync(dir).find((name) => name.endsWith('.js') && !name.endsWith('.d.js'));
  if (!entry) throw new Error(`no jco-transpiled component in ${dir}`);
  return join(dir, entry);
}

export function assertBuilt(language: LanguageName): void {
  const dir = bindingsDir(language);
  if (!existsSync(dir)) {
    throw new Error(`the ${language} component is not built (${dir} is missing): run \`npm run build\``);
  }
}

const compiled = new Map<string, Promise<Record<string, WebAssembly.Module>>>();

/** The compiled core modules of `language`, with every defined memory capped at `memoryCapBytes`. */
export function coreModules(language: LanguageName, memoryCapBytes: number): Promise<Record<string, WebAssembly.Module>> {
  const key = `${language}:${memoryCapBytes}`;
  let modules = compiled.get(key);
  if (!modules) {
    modules = compileAll(language, memoryCapBytes);
    compiled.set(key, modules);
    modules.catch(() => compiled.delete(key));
  }
  return modules;
}

async function compileAll(language: LanguageName, memoryCapBytes: number) {
  assertBuilt(language);
  const dir = bindingsDir(language);
  const names = readdirSync(dir).filter((name) => name.endsWith('.wasm'));
  const entries = await Promise.all(names.map(async (name) => {
    const bytes = capMemory(new Uint8Array(await readFile(join(dir, name))), memoryCapBytes);
    return [name, await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>)] as const;
  }));
  return Object.fromEntries(entries);
}

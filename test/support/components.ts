// Instantiates the real built components through their jco transpilation, each instance with its own WASI: a fresh
// temporary directory preopened as /workspace (or none), an explicit env, no network. The WASI is the host library's
// own (host/src/engine/wasi, what the library runs), or with GOLEM_EXEC_WASI=preview2-shim jco's stock preview2-shim
// (the standard path other jco embedders take), used as it is: no patch (exec-python.wasm clears the
// mutate-directory flag the shim refuses itself, see scripts/open-at-flags.mjs).
import { mkdtemp, rm } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { createWasiImports } from '../../host/src/engine/wasi/index.js';
import { withCheapJspiProbe } from '../../host/src/engine/jspi-probe.js';

export type WasiName = 'host' | 'preview2-shim';
const WASI_NAMES: readonly WasiName[] = ['host', 'preview2-shim'];
/** The WASI the instances get unless `instantiate` is told otherwise. */
export const DEFAULT_WASI: WasiName = (() => {
  const name = process.env.GOLEM_EXEC_WASI ?? 'host';
  if (!WASI_NAMES.includes(name as WasiName)) throw new Error(`GOLEM_EXEC_WASI=${name}: expected one of ${WASI_NAMES.join(', ')}`);
  return name as WasiName;
})();

function wasiImports(wasi: WasiName, preopens: Record<string, string>, env: Record<string, string>) {
  if (wasi === 'host') return createWasiImports({ preopens, env });
  return new WASIShim({ sandbox: { preopens, env, args: [], enableNetwork: false } }).getImportObject();
}

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LANGUAGES = ['javascript', 'python'] as const;
export type LanguageName = (typeof LANGUAGES)[number];

const transpiledDir = (language: LanguageName) => join(ROOT, 'build', 'jco', language);
const coreModules = new Map<string, Promise<WebAssembly.Module>>();

function getCoreModule(language: LanguageName) {
  return (name: string) => {
    const path = join(transpiledDir(language), name);
    let module = coreModules.get(path);
    if (!module) coreModules.set(path, (module = readFile(path).then((bytes) => WebAssembly.compile(bytes))));
    return module;
  };
}

export interface TestInstance {
  executor: any;
  /** The golem:exec/repl interface. */
  repl: any;
  /** The golem:exec/files interface. */
  files: any;
  /** The host directory preopened as /workspace, when there is one. */
  dir: string | undefined;
  dispose(): Promise<void>;
}

export async function instantiate(language: LanguageName, options: { preopen?: boolean; env?: Record<string, string>; wasi?: WasiName } = {}): Promise<TestInstance> {
  const dir = options.preopen === false ? undefined : await mkdtemp(join(tmpdir(), `golem-exec-test-${language}-`));
  const entry = join(transpiledDir(language), `exec-${language}.js`);
  const { instantiate: instantiateComponent } = await import(pathToFileURL(entry).href).catch((error) => {
    throw new Error(`the ${language} component is not built and transpiled (${entry}): run npm run build`, { cause: error });
  });
  const imports = wasiImports(options.wasi ?? DEFAULT_WASI, dir ? { '/workspace': dir } : {}, options.env ?? {});
  const instance: any = await withCheapJspiProbe(() => instantiateComponent(getCoreModule(language), imports));
  return {
    executor: instance.executor,
    repl: instance.repl,
    files: instance.files,
    dir,
    dispose: async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` (a synchronous component call) while capturing what the component writes to its own stdout/stderr. */
export function captureStdio<T>(fn: () => T): { value: T; stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const originalOut = process.stdout.write;
  const originalErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(Buffer.from(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(Buffer.from(chunk)), true)) as typeof process.stderr.write;
  try {
    const value = fn();
    return { value, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  }
}

// Build-time warm-up. index.ts runs a few representative programs through the real run path while Wizer
// pre-initialises the component, so what SpiderMonkey compiles lazily (the bytecode of the runtime's functions: the
// loader, the acorn transform, console/inspect, the builtins) is already in the snapshot and a fresh instance's first
// run costs about what later runs do. Nothing of those runs may survive into the snapshot: each run ends with the
// usual globals restore, its files live in a read-only map of its own, and what the runtime caches across runs
// (compiled code, settings) is forgotten afterwards.
//
// While the component is pre-initialised no import can be called: no clock (a stand-in clock is used), no timers
// (the programs end with process.exit, so the run never waits for the event loop to go idle), no environment (the
// default settings stand in for it), no files (never the workspace or the mounts).
import { DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT_MS, overrideSettings } from './settings.js';
import { replaceClock } from './intrinsics.js';
import { useEntropy } from './random.js';
import { forgetCompiledCode } from './node/compile.js';
import { BufferedStdin } from './node/stdin.js';
import { runProgram } from './program.js';
import { VolumeError } from './volume/errors.js';
import type { EntryStat, Volume } from './volume/volume.js';

/** Programs that take the common paths: CommonJS and ES modules, TypeScript, console formatting, builtins, a caught error. */
const PROGRAMS: Record<string, string>[] = [
  { 'main.js': 'console.log("hello");\nprocess.exit(0);' },
  { 'main.mjs': 'import { join } from "node:path";\nconsole.log("hello", join("a", "b"));\nprocess.exit(0);' },
  // TypeScript: the stripper's parser (typescript.ts) compiled here, not on a run's first .ts file.
  {
    'main.ts': [
      'interface Point { x: number; y?: number }',
      'enum Kind { A, B = "b" }',
      'namespace Geometry { export const origin: Point = { x: 0 }; }',
      'class Box<T> { constructor(private readonly value: T) {} get(): T { return this.value!; } }',
      'console.log("hello", new Box<Point>(Geometry.origin as Point).get(), Kind.A satisfies Kind);',
      'process.exit(0);',
    ].join('\n'),
  },
  {
    'main.js': [
      'const path = require("path"), util = require("util"), fs = require("fs"), events = require("events");',
      'const { helper } = require("./lib/helper");',
      'console.log({ a: 1, b: [1, 2, "x"], c: new Map([[1, 2]]) }, util.format("%s=%d", "n", 42), path.basename(__filename));',
      'try { null.x; } catch (error) { console.error(error); }',
      'for (let i = 0; i < 3; i++) helper(i);',
      'process.stdout.write(JSON.stringify({ ok: true }) + "\\n");',
      'process.exit(0);',
    ].join('\n'),
    'lib/helper.js': 'exports.helper = (n) => n * 2;',
  },
  {
    // The heavier builtins: their libraries (noble hashes, pako, readable-stream) are initialised and compiled here.
    'main.js': [
      'const crypto = require("crypto"), zlib = require("zlib"), stream = require("stream"), util = require("util");',
      'const assert = require("assert"), qs = require("querystring");',
      'require("stream/promises"); require("perf_hooks"); require("string_decoder");',
      'const digest = crypto.createHash("sha256").update("x").digest("hex") + crypto.createHmac("md5", "k").update("x").digest("base64");',
      'assert.strictEqual(zlib.gunzipSync(zlib.gzipSync(digest)).toString(), digest);',
      'new stream.PassThrough().end("x"); stream.Readable.from(["x"]); zlib.createGzip();',
      'util.parseArgs({ args: ["-v"], options: { v: { type: "boolean" } } }); qs.parse(qs.stringify({ a: [1, 2] }));',
      'process.stdout.write("ok\\n");',
      'process.exit(0);',
    ].join('\n'),
  },
];

/** The warm-up programs' files: read-only, in memory (MemoryVolume would read the wall clock for mtimes). */
class ProgramFiles implements Volume {
  readonly persistent = false;
  constructor(private readonly files: Map<string, Uint8Array>) {}
  stat(path: readonly string[]): EntryStat | undefined {
    const name = path.join('/');
    if (this.files.has(name)) return { kind: 'file', size: this.files.get(name)!.length, mtimeMs: 0 };
    const isDir = name === '' || [...this.files.keys()].some((file) => file.startsWith(`${name}/`));
    return isDir ? { kind: 'directory', size: 0, mtimeMs: 0 } : undefined;
  }
  readFile(path: readonly string[]): Uint8Array {
    const data = this.files.get(path.join('/'));
    if (!data) throw new VolumeError('ENOENT', 'open', path.join('/'));
    return data;
  }
  readdir(): never {
    throw new VolumeError('EACCES', 'scandir', '.');
  }
  writeFile(): never {
    throw new VolumeError('EROFS', 'open', '.');
  }
  mkdir(): never {
    throw new VolumeError('EROFS', 'mkdir', '.');
  }
  unlink(): never {
    throw new VolumeError('EROFS', 'unlink', '.');
  }
  rmdir(): never {
    throw new VolumeError('EROFS', 'rmdir', '.');
  }
  rename(): never {
    throw new VolumeError('EROFS', 'rename', '.');
  }
}

export async function warmUp(): Promise<void> {
  const encoder = new TextEncoder();
  overrideSettings({ timeoutMs: DEFAULT_TIMEOUT_MS, outputLimitBytes: DEFAULT_OUTPUT_LIMIT, hostTimeout: false, mirrorOutput: false, hostIsolation: false });
  replaceClock(() => 0);
  useEntropy(false);
  try {
    for (const program of PROGRAMS) {
      const files = new Map(Object.entries(program).map(([name, source]) => [name, encoder.encode(source)]));
      const result = await runProgram({
        volume: new ProgramFiles(files),
        rootPath: '/sandbox',
        cwd: [],
        entry: [Object.keys(program)[0]],
        args: [],
        env: [],
        stdin: new BufferedStdin(new Uint8Array()),
        limits: { timeMs: 0n, memoryBytes: undefined, fileSizeBytes: undefined },
        ephemeral: true,
        listener: undefined,
      });
      // A warm-up program that fails means the run path changed under it: fail the build rather than warm nothing.
      if (result.run.exitCode !== 0 || !result.run.stdout.startsWith('hello') && !result.run.stdout.includes('ok')) {
        throw new Error(`build-time warm-up program failed: ${JSON.stringify(result.run)}`);
      }
    }
  } finally {
    replaceClock();
    useEntropy(true);
    overrideSettings(undefined);
    forgetCompiledCode();
  }
}

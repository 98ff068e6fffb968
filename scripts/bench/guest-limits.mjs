// Cost of the guests' own time checks on CPU-bound code. Python: the same program with time-ms 0 (sys.monitoring not
// started) and with a 60 s deadline (checks active, never firing). JavaScript: the checks are compiled into the
// program, so the baseline is the same source run uninstrumented (through `new Function`, which the guest does not
// instrument) against the program as written, with a 60 s deadline. Prints JSON: medians and the ratio.
//   node --experimental-wasm-extended-const scripts/bench/guest-limits.mjs [--reps N]
// (Node 22+ needs no flag.) Runs the built components through their jco transpilation, one instance per language.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const reps = Number(process.argv[process.argv.indexOf('--reps') + 1]) || 5;

const PROGRAMS = {
  javascript: {
    'loop 3e6': 'let s = 0; for (let i = 0; i < 3e6; i++) s += i; console.log(s);',
    'fib(24)': 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } console.log(fib(24));',
    'array map/filter 1e5 x5': 'let a = Array.from({ length: 1e5 }, (_, i) => i); for (let k = 0; k < 5; k++) a = a.map((x) => x + 1).filter((x) => x % 7 !== 0); console.log(a.length);',
  },
  python: {
    'loop 1e6': 's = 0\nfor i in range(10**6):\n    s += i\nprint(s)\n',
    'fib(22)': 'def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(22))\n',
    'comprehensions 1e5 x5': 'a = list(range(10**5))\nfor _ in range(5):\n    a = [x + 1 for x in a if x % 7]\nprint(len(a))\n',
  },
};

async function instantiate(language) {
  const dir = join(ROOT, 'build', 'jco', language);
  const { instantiate: inst } = await import(pathToFileURL(join(dir, `exec-${language}.js`)).href).catch((error) => {
    throw new Error(`build/jco/${language} is missing: run npm run build`, { cause: error });
  });
  const work = await mkdtemp(join(tmpdir(), 'golem-exec-bench-'));
  // The host library's WASI (build/host, from npm run build), as the library's sandboxes run it.
  const { createWasiImports } = await import(pathToFileURL(join(ROOT, 'build', 'host', 'engine', 'wasi', 'index.js')).href).catch((error) => {
    throw new Error('build/host is missing: run npm run build', { cause: error });
  });
  const imports = createWasiImports({ preopens: { '/workspace': work }, env: {} });
  const instance = await inst((name) => readFile(join(dir, name)).then((b) => WebAssembly.compile(b)), imports);
  return { executor: instance.executor, dispose: () => rm(work, { recursive: true, force: true }) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function runOnce(executor, language, source, timeMs) {
  const entry = language === 'python' ? 'main.py' : 'main.js';
  const file = { name: entry, content: new TextEncoder().encode(source), encoding: undefined };
  const limits = { timeMs: BigInt(timeMs), memoryBytes: undefined, fileSizeBytes: undefined, maxProcesses: undefined };
  const started = performance.now();
  executor.run({ kind: language, version: undefined }, [file], undefined, [], [], limits);
  return performance.now() - started;
}

const results = {};
for (const [language, programs] of Object.entries(PROGRAMS)) {
  const { executor, dispose } = await instantiate(language);
  results[language] = {};
  for (const [name, source] of Object.entries(programs)) {
    const baseline = language === 'javascript' ? `new Function(${JSON.stringify(source)})();` : source;
    runOnce(executor, language, source, 60_000); // warm-up (compile caches, first-run costs)
    runOnce(executor, language, baseline, 0);
    const off = [];
    const on = [];
    for (let i = 0; i < reps; i++) {
      // Interleaved, so that a noisy neighbour slows both alike.
      off.push(runOnce(executor, language, baseline, 0));
      on.push(runOnce(executor, language, source, 60_000));
    }
    const withoutMs = Math.round(median(off));
    const withMs = Math.round(median(on));
    results[language][name] = { withoutLimitMs: withoutMs, withLimitMs: withMs, ratio: Number((withMs / withoutMs).toFixed(2)) };
  }
  await dispose();
}
console.log(JSON.stringify({ benchmark: 'guest-limits', reps, node: process.version, results }, null, 2));

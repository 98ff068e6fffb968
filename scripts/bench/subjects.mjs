// The things we measure, behind one shape so every workload treats them alike:
//
//   subject.start()            → a warm handle: handle.run(code) → stdout, with fresh globals per run where the
//                                subject can give them (that is what our pool does), handle.close()
//   subject.fresh(code)        → stdout of one run in a brand-new isolated instance, torn down afterwards
//
// In-process subjects are loaded inside the process that measures them (bench children, see child.mjs). Native
// subprocess peers (`node`, `python3`) are measured from the orchestrator by spawning them (see native.mjs).
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** Generous limits: CPU workloads must not hit our 5 s default. */
const OUR_LIMITS = { timeMs: 120_000 };

function ours(language) {
  const load = () => import(join(ROOT, 'build', 'host', 'index.js'));
  return {
    language,
    async start() {
      const { Executor } = await load();
      const exec = new Executor({ poolSize: 1 });
      return {
        async run(code) {
          const result = await exec.run({ language, code, limits: OUR_LIMITS });
          if (result.exitCode !== 0) throw new Error(`${language} run failed: ${result.stderr}`);
          return result.stdout;
        },
        close: () => exec.close(),
      };
    },
    /** What the library offers for "a new sandbox per run": a session (own worker thread + component instance). */
    async freshFactory() {
      const { Executor } = await load();
      // `fresh: true`: every run takes a never-used instance; spares (one per core) are started ahead and replaced
      // in the background, so back-to-back runs measure the sustained rate, replacements included.
      const exec = new Executor();
      await exec.warm(language, availableParallelism(), { fresh: true });
      return {
        async fresh(code) {
          return (await exec.run({ language, code, limits: OUR_LIMITS, fresh: true })).stdout;
        },
        close: () => exec.close(),
      };
    },
  };
}

/** A `console` that collects what the program logs (used by the JS peers). */
function collector() {
  let out = '';
  return {
    log: (...parts) => { out += parts.map(String).join(' ') + '\n'; },
    take() { const text = out; out = ''; return text; },
  };
}

function quickjs() {
  const load = async () => (await import('quickjs-emscripten')).getQuickJS();
  /** Evaluates `code` in `context` with a console.log that appends to `sink`. */
  const evaluate = (context, sink, code) => {
    const log = context.newFunction('log', (...args) => { sink.log(...args.map((h) => context.dump(h))); });
    const consoleObject = context.newObject();
    context.setProp(consoleObject, 'log', log);
    context.setProp(context.global, 'console', consoleObject);
    log.dispose();
    consoleObject.dispose();
    const result = context.evalCode(code);
    context.unwrapResult(result).dispose();
    return sink.take();
  };
  return {
    language: 'javascript',
    async start() {
      const QuickJS = await load();
      const runtime = QuickJS.newRuntime();
      const sink = collector();
      return {
        // A new context per run on a warm runtime: fresh globals, like our pooled runs.
        async run(code) {
          const context = runtime.newContext();
          try { return evaluate(context, sink, code); } finally { context.dispose(); }
        },
        close: () => runtime.dispose(),
      };
    },
    async freshFactory() {
      const QuickJS = await load();
      const sink = collector();
      return {
        // A new runtime (its own heap) and context per run.
        async fresh(code) {
          const runtime = QuickJS.newRuntime();
          const context = runtime.newContext();
          try { return evaluate(context, sink, code); } finally { context.dispose(); runtime.dispose(); }
        },
        close() {},
      };
    },
  };
}

function isolatedVm() {
  const ivm = () => require('isolated-vm');
  const evaluate = (isolate, code) => {
    const { Callback } = ivm();
    const sink = collector();
    const context = isolate.createContextSync();
    try {
      context.global.setSync('__log', new Callback((...args) => sink.log(...args)));
      context.evalSync('globalThis.console = { log: (...a) => __log(...a.map(String)) };');
      isolate.compileScriptSync(code).runSync(context);
      return sink.take();
    } finally {
      context.release();
    }
  };
  return {
    language: 'javascript',
    async start() {
      const isolate = new (ivm().Isolate)({ memoryLimit: 256 });
      // A new context per run in a warm isolate: fresh globals, like our pooled runs.
      return { async run(code) { return evaluate(isolate, code); }, close: () => isolate.dispose() };
    },
    async freshFactory() {
      return {
        async fresh(code) {
          const isolate = new (ivm().Isolate)({ memoryLimit: 256 });
          try { return evaluate(isolate, code); } finally { isolate.dispose(); }
        },
        close() {},
      };
    },
  };
}

function pyodide() {
  const load = async () => (await import('pyodide')).loadPyodide();
  const runIn = (py, code) => {
    let out = '';
    py.setStdout({ batched: (line) => { out += line + '\n'; } });
    const globals = py.globals.get('dict')();
    try {
      py.runPython(code, { globals });
    } finally {
      globals.destroy();
    }
    return out;
  };
  return {
    language: 'python',
    async start() {
      const py = await load();
      // Fresh globals per run (a new dict); imported modules stay loaded, as in our guest.
      return { async run(code) { return runIn(py, code); }, close() {} };
    },
    async freshFactory() {
      return { async fresh(code) { return runIn(await load(), code); }, close() {} };
    },
  };
}

/** Node's own engine in this process: a new `vm` context per run (fresh globals, JIT). */
function nodeVm() {
  const run = (code) => {
    const sink = collector();
    vm.runInNewContext(code, { console: { log: sink.log } });
    return sink.take();
  };
  return {
    language: 'javascript',
    async start() { return { async run(code) { return run(code); }, close() {} }; },
    async freshFactory() { return { async fresh(code) { return run(code); }, close() {} }; },
  };
}

/** Node's own engine with no isolation at all (a Function in the main realm): the speed reference. */
function nodeDirect() {
  const run = (code) => {
    const sink = collector();
    new Function('console', code)({ log: sink.log });
    return sink.take();
  };
  return {
    language: 'javascript',
    async start() { return { async run(code) { return run(code); }, close() {} }; },
  };
}

/** In-process subjects by name. */
export const SUBJECTS = {
  'golem-exec-js': ours('javascript'),
  'golem-exec-py': ours('python'),
  'quickjs-emscripten': quickjs(),
  'isolated-vm': isolatedVm(),
  pyodide: pyodide(),
  'node-vm': nodeVm(),
  'node-direct': nodeDirect(),
};

/** Why a subject cannot run here (a missing optional peer), or undefined. */
export function unavailable(name) {
  if (name === 'isolated-vm') {
    try {
      require('isolated-vm');
    } catch (error) {
      return `isolated-vm is not installed or its native addon did not build (${String(error.message).split('\n')[0]})`;
    }
  }
  return undefined;
}

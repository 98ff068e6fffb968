// Runs one program to completion the way `node entry args...` would, and maps how it ended onto the WIT outcome:
// ok with the exit code, compilation-failed, runtime-failed, timeout.
import { Buffer } from 'buffer';
import { GuestError, type ExecResult, type StageResult } from './contract.js';
import { now } from './intrinsics.js';
import { restoreGlobals } from './isolation.js';
import { forgetIntl } from './intl/index.js';
import { RunContext, StopSignal } from './node/context.js';
import { formatError, inspect, nodeStack, setStackLocationMapper } from './node/inspect.js';
import { CompileError, userLocation } from './node/compile.js';
import { Loader } from './node/loader.js';
import { holdEngineAsyncFor } from './node/engine-async.js';
import { seedRandom } from './random.js';
import { createConsole, createProcess } from './node/process.js';
import type { Evaluation } from './repl.js';
import type { RunRequest } from './request.js';
import { getSettings } from './settings.js';

const NETWORK_DISABLED = 'network access is disabled in the golem-exec sandbox';

/** Globals Node has and the engine lacks (or must not expose), installed for one run and removed by the restore. */
function installGlobals(ctx: RunContext, process: object) {
  const g = globalThis as Record<string, unknown>;
  const timer = (repeat: boolean) => (callback: Function, delay?: number, ...args: unknown[]) => ctx.setTimer(callback, delay ?? 0, args, repeat);
  const clear = (id: unknown) => ctx.clearTimer(id);
  Object.assign(g, {
    global: globalThis,
    process,
    Buffer,
    console: createConsole(ctx),
    setTimeout: timer(false),
    setInterval: timer(true),
    setImmediate: (callback: Function, ...args: unknown[]) => ctx.setTimer(callback, 0, args, false),
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
    // fetch in StarlingMonkey reaches the network (or traps the instance when http is compiled out); refuse it. No
    // upstream issue: StarlingMonkey's fetch is its wasi:http client, with no switch to turn it off per run.
    fetch: () => Promise.reject(new TypeError('fetch failed', { cause: new Error(NETWORK_DISABLED) })),
  });
}

/** What SpiderMonkey throws when an allocation fails (it throws the string itself) or a size overflows. */
function isOutOfMemory(error: unknown): boolean {
  if (error === 'out of memory') return true;
  try {
    return error instanceof Error && error.name === 'InternalError' && /out of memory|allocation size overflow/.test(error.message);
  } catch {
    return false; // a getter of the program's threw: not the engine's error
  }
}

/**
 * The report of an uncaught exception. Formatting it runs the program's own code (its error's getters and `toString`,
 * its Date and Error prototypes); if that throws, the run is still `runtime-failed`, with a line saying so.
 */
function reportOfUncaught(error: unknown): string {
  try {
    return uncaughtReport(error);
  } catch {
    return 'Uncaught exception (golem-exec: formatting it ran program code that threw)\n';
  }
}

/** Node's report of an uncaught exception: where it was thrown, then the error with its stack. */
function uncaughtReport(error: unknown): string {
  if (!(error instanceof Error)) return `Uncaught ${inspect(error)}\n`;
  const frames = nodeStack(error);
  const body = frames ? `${error.name}: ${error.message}\n${frames}` : formatError(error);
  const extra = Object.keys(error).filter((k) => k !== 'stack' && k !== 'message');
  return `${body}${extra.length ? ` ${inspect(Object.fromEntries(extra.map((k) => [k, (error as any)[k]])))}` : ''}\n`;
}

/** Runs the request's entry file; or, with `evaluation`, a REPL evaluation in the same surroundings (repl.ts). */
export async function runProgram(request: RunRequest, evaluation?: Evaluation): Promise<ExecResult> {
  const settings = getSettings();
  const started = now();
  const ctx = new RunContext(request);
  const { stdout, stderr } = ctx;
  const entryPath = [request.rootPath, ...request.entry].join('/');
  const process = createProcess(ctx, entryPath);
  const loader = new Loader(ctx, (value) => discard(ctx, value));
  let compileError: CompileError | undefined;
  installGlobals(ctx, process);
  holdEngineAsyncFor(ctx);
  seedRandom();
  evaluation?.enter(loader);
  try {
    await (evaluation ? evaluation.run() : loader.runMain(entryPath));
    if (!ctx.stopped) await ctx.idle();
  } catch (error) {
    if (error instanceof CompileError) compileError = error;
    else if (!(error instanceof StopSignal)) ctx.fail(error);
  } finally {
    ctx.stop();
    holdEngineAsyncFor(undefined);
    evaluation?.leave();
    // The rollback comes before the result is assembled, so a program that broke the runtime's own objects still gets
    // its output back intact (the result passes through this realm's objects: with setters on array indexes, not even
    // an array can be built). Under a host that puts the instance back after the run, only what the result goes
    // through is rolled back (isolation.ts); a REPL evaluation's state is kept by the host, so it always has all.
    restoreGlobals(settings.hostIsolation && !evaluation ? 'result-path' : 'all');
    forgetIntl(); // the rollback put Intl's stand-ins back (the global object is always rolled back)
  }

  try {
    const elapsed = BigInt(Math.round(now() - started));
    if (compileError) {
      throw new GuestError({ tag: 'compilation-failed', val: stage(stdout.text(), compileError.diagnostic, 1) });
    }
    // A timed-out run ends with error.timeout, which has no payload: what it printed before is not returned (streamed
    // runs have already delivered it as chunks).
    if (ctx.timedOut) throw new GuestError({ tag: 'timeout' });
    if (ctx.fatal && isOutOfMemory(ctx.fatal.error)) throw new GuestError({ tag: 'resource-exceeded' });
    if (ctx.fatal) {
      stderr.write(reportOfUncaught(ctx.fatal.error));
      throw new GuestError({ tag: 'runtime-failed', val: stage(stdout.text(), stderr.text(), 1) });
    }
    // process.exitCode holds only what its setter admitted (process.ts): converting it runs no program code.
    const exitCode = ctx.exitCode ?? (Number((process as { exitCode?: unknown }).exitCode) | 0);
    return { compile: undefined, run: stage(stdout.text(), stderr.text(), exitCode), timeMs: elapsed, memoryBytes: undefined };
  } finally {
    // The stack mapping (uncaughtReport) was the last use of what the loader recorded per file.
    loader.forgetPaths();
  }
}

function stage(stdout: string, stderr: string, exitCode: number): StageResult {
  return { stdout, stderr, exitCode, signal: undefined };
}

/** A promise nobody can handle (its call's result was discarded) that rejects is an unhandled rejection. */
function discard(ctx: RunContext, value: unknown): unknown {
  if (value instanceof Promise) value.then(undefined, (error) => ctx.fail(error));
  return value;
}

// The loader hides runtime-internal frames and corrects columns of wrapped user code.
setStackLocationMapper(userLocation);

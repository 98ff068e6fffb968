// The one place where values cross into and out of the WIT's shapes (jco's: records as camelCase objects, variants as
// `{ tag, val }`, options as `T | undefined`, list<u8> as Uint8Array). The shapes are the types jco generates from
// wit/ (engine/wit/, made by scripts/build-host.mjs): a change to the contract shows up here as a type error.
import { ExecError, type ExecErrorTag } from './errors.js';
import type { EffectiveLimits } from './limits.js';
import type { FileInput, Language, Limits, RunOptions, RunResult, StageResult } from './types.js';
import { SANDBOX_STACK_MB, type CallResult } from '../engine/sandbox-worker.js';
import type { WitCall } from '../engine/protocol.js';
import { ENTRY_FILE } from '../engine/guest-layout.js';
import type * as Wit from '../engine/wit/interfaces/golem-exec-types.js';

// ---- into the WIT ----

export function witLanguage(language: Language, version?: string): Wit.Language {
  return { kind: language, version };
}

/**
 * A file as the WIT `file` record. Bytes go as base64 text with `encoding: base64` (the guest decodes and writes them
 * unchanged); a string goes as UTF-8 with the caller's encoding.
 */
export function witFile(file: FileInput): Wit.File {
  if (file.content instanceof Uint8Array) {
    return { name: file.name, content: utf8(Buffer.from(file.content).toString('base64')), encoding: 'base64' };
  }
  return { name: file.name, content: utf8(file.content), encoding: file.encoding };
}

/** The run's files, entry first (the WIT `run` takes the first file as the entry point). */
export function witFiles(options: RunOptions): Wit.File[] {
  const files = options.code !== undefined
    ? [{ name: ENTRY_FILE[options.language], content: options.code }]
    : [...options.files!];
  if (options.entry) files.sort((a, b) => Number(b.name === options.entry) - Number(a.name === options.entry));
  return files.map(witFile);
}

export function witEnv(env: Record<string, string> | undefined): [string, string][] {
  return Object.entries(env ?? {});
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function stdinText(stdin: string | Uint8Array | undefined): string | undefined {
  return stdin instanceof Uint8Array ? new TextDecoder().decode(stdin) : stdin;
}

export function stdinBytes(stdin: string | Uint8Array | undefined): Uint8Array | undefined {
  return typeof stdin === 'string' ? utf8(stdin) : stdin;
}

/**
 * The WIT `limits` record of a call. The guests are told the caller's own file-size limit only (their check makes an
 * oversized upload `resource-exceeded`); the default is the host's alone, which spares Python a checked write path.
 * Memory is the host's (the instance's memory cap), except a limit below the cap of the sandbox the call runs on (a
 * session run asking for less than its session): the Python guest watches that one itself.
 */
export function witLimits(limits: Limits | undefined, effective: EffectiveLimits, memoryCapBytes: number): Wit.Limits {
  const memoryBytes = limits?.memoryBytes !== undefined && limits.memoryBytes < memoryCapBytes ? limits.memoryBytes : undefined;
  return {
    timeMs: BigInt(effective.timeMs),
    memoryBytes: memoryBytes === undefined ? undefined : BigInt(memoryBytes),
    fileSizeBytes: limits?.fileSizeBytes === undefined ? undefined : BigInt(limits.fileSizeBytes),
    maxProcesses: limits?.maxProcesses,
  };
}

/**
 * The WIT call that runs a program: stateless (the executor's `run` / `run-streaming`) or in the guest session (its
 * `run` / `run-streaming`). A streamed run uses the streaming form; so does one with bytes on stdin, which only it takes.
 */
export function witRunCall(target: { language: Wit.Language; files: Wit.File[] } | { entrypoint: string },
  run: { args?: string[]; env?: Record<string, string>; stdin?: string | Uint8Array }, limits: Wit.Limits, streamed: boolean): WitCall {
  const args = run.args ?? [];
  const env = witEnv(run.env);
  if ('entrypoint' in target) {
    return streamed
      ? { op: 'session.call', method: 'runStreaming', args: [target.entrypoint, args, stdinBytes(run.stdin), env, limits] }
      : { op: 'session.call', method: 'run', args: [target.entrypoint, args, stdinText(run.stdin), env, limits] };
  }
  return streamed
    ? { op: 'run-streaming', args: [target.language, target.files, stdinBytes(run.stdin), args, env, limits] }
    : { op: 'run', args: [target.language, target.files, stdinText(run.stdin), args, env, limits] };
}

// ---- out of the WIT ----

/** Linear memory within this many bytes of the cap counts as "ran out of memory" when an instance traps. */
const NEAR_CAP_BYTES = 4 * 2 ** 20;

function stage(raw: Wit.StageResult): StageResult {
  return {
    stdout: raw.stdout,
    stderr: raw.stderr,
    exitCode: raw.exitCode ?? null,
    signal: raw.signal ?? null,
  };
}

export function toRunResult(raw: Wit.ExecResult, hostMemoryBytes: number): RunResult {
  return {
    ...stage(raw.run),
    compile: raw.compile ? stage(raw.compile) : null,
    timeMs: raw.timeMs === undefined ? null : Number(raw.timeMs),
    // The guest's own measure where it has one, else the instance's linear memory (its peak: it never shrinks).
    memoryBytes: raw.memoryBytes === undefined ? hostMemoryBytes : Number(raw.memoryBytes),
  };
}

export function toExecError(error: Wit.Error): ExecError {
  if (error.tag === 'compilation-failed' || error.tag === 'runtime-failed') return new ExecError(error.tag, stage(error.val));
  if (error.tag === 'internal') return new ExecError(error.tag, error.val);
  return new ExecError(error.tag satisfies ExecErrorTag);
}

/** The guest's out-of-memory failures (a MemoryError, SpiderMonkey's "out of memory") at the cap. */
const OUT_OF_MEMORY = /\b(MemoryError|out of memory)\b/;

/** A runtime failure that is really the memory cap being reached: resource-exceeded, as the contract says. */
function ranOutOfMemory(error: Wit.Error, memoryBytes: number, memoryCapBytes: number): ExecError | undefined {
  const nearCap = memoryBytes >= memoryCapBytes - NEAR_CAP_BYTES;
  const message = error.tag === 'internal' ? error.val : error.tag === 'runtime-failed' ? error.val.stderr : '';
  if (nearCap && OUT_OF_MEMORY.test(message)) {
    return new ExecError('resource-exceeded', undefined, `memory limit of ${memoryCapBytes} bytes reached`);
  }
  return undefined;
}

/**
 * V8's trap when wasm runs out of the sandbox thread's native stack: a recursion the guest does not count (CPython's
 * check covers C recursion, not e.g. freeing a list nested millions deep), so a limit of the sandbox reached.
 */
const STACK_OVERFLOW = /^Maximum call stack size exceeded$/;

/**
 * The value of a successful call, or throws the ExecError its outcome stands for. A hard timeout is `timeout`; a trap
 * at the memory cap (or reported as out-of-memory) or on the native stack's end is `resource-exceeded`; any other
 * trap is `internal`.
 */
export function unwrap(result: CallResult, memoryCapBytes: number): unknown {
  if (result.hardTimeout) throw new ExecError('timeout', undefined, 'stopped by the host');
  if (result.cancelled) throw new ExecError('internal', 'the run was cancelled');
  const { outcome } = result;
  if (outcome.kind === 'ok') return outcome.value;
  if (outcome.kind === 'err') throw ranOutOfMemory(outcome.error, result.memoryBytes, memoryCapBytes) ?? toExecError(outcome.error);
  if (outcome.outOfMemory || result.memoryBytes >= memoryCapBytes - NEAR_CAP_BYTES) {
    throw new ExecError('resource-exceeded', undefined, `memory limit of ${memoryCapBytes} bytes reached`);
  }
  if (STACK_OVERFLOW.test(outcome.message)) {
    throw new ExecError('resource-exceeded', undefined, `the sandbox's native stack (${SANDBOX_STACK_MB} MB) ran out`);
  }
  throw new ExecError('internal', `the sandbox crashed: ${outcome.message}`, undefined, { cause: outcome });
}

/**
 * A run call's result as the library's RunResult, or throws its ExecError: a plain run returns an exec-result, a
 * streamed one (drained by the worker) its terminal event.
 */
export function runResultOf(result: CallResult, streamed: boolean, memory: MemoryView): RunResult {
  const value = unwrap(result, memory.memoryCapBytes);
  return streamed ? fromTerminalEvent(value as Wit.ExecEvent | undefined, memory) : toRunResult(value as Wit.ExecResult, memory.runMemoryBytes);
}

/** What a sandbox's memory looks like to a result: its measure for the run, its actual size, its cap. */
export interface MemoryView {
  runMemoryBytes: number;
  memoryBytes: number;
  memoryCapBytes: number;
}

/** The terminal event of a drained exec-stream (`finished` / `failed`) as a RunResult, or throws. */
export function fromTerminalEvent(event: Wit.ExecEvent | undefined, memory: MemoryView): RunResult {
  if (event?.tag !== 'finished' && event?.tag !== 'failed') throw new ExecError('internal', 'the stream ended without a finished or failed event');
  if (event.tag === 'failed') throw ranOutOfMemory(event.val, memory.memoryBytes, memory.memoryCapBytes) ?? toExecError(event.val);
  return toRunResult(event.val, memory.runMemoryBytes);
}

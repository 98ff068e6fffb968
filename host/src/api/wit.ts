// The one place where values cross into and out of the WIT's shapes (jco's: records as camelCase objects, variants as
// `{ tag, val }`, options as `T | undefined`, list<u8> as Uint8Array). The shapes are the types jco generates from
// wit/ (engine/wit/, made by scripts/build-host.mjs): a change to the contract shows up here as a type error.
import { ExecError, type ExecErrorTag } from './errors.js';
import { LIMITS, LIMIT_NAMES, type EffectiveLimits, type LimitName, type LimitSpec } from './limits.js';
import type { EvalResult, FileInput, Language, Limits, RunOptions, RunResult, StageResult } from './types.js';
import { SANDBOX_STACK_MB, type CallResult, type PrintedOutput } from '../engine/sandbox-worker.js';
import type { WitCall } from '../engine/protocol.js';
import type * as Wit from '../engine/wit/interfaces/golem-exec-types.js';
import type { EvalResult as WitEvalResult } from '../engine/wit/interfaces/golem-exec-repl.js';

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
export function witFiles(options: Pick<RunOptions, 'entry'> & { files: FileInput[] }): Wit.File[] {
  const files = [...options.files];
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
 * The WIT `limits` record of a call: each limit the WIT carries (LIMITS[name].wit) as the caller gave it, except two.
 * The time limit is always the effective one (the guest reports it; hosts that cannot stop a run need it). Memory is
 * the host's (the instance's memory cap), except a limit below the cap of the sandbox the call runs on (a session run
 * asking for less than its session): the Python guest watches that one itself. The guests are told the caller's own
 * file-size limit only (their check makes an oversized upload `resource-exceeded`); the default is the host's alone,
 * which spares Python a checked write path.
 */
export function witLimits(limits: Limits | undefined, effective: EffectiveLimits, memoryCapBytes: number): Wit.Limits {
  const record: Record<string, bigint | number | undefined> = {};
  for (const name of LIMIT_NAMES) {
    const { wit } = LIMITS[name] as LimitSpec;
    const value = limits?.[name];
    if (wit) record[name] = value === undefined ? undefined : wit === 'u64' ? BigInt(value) : value;
  }
  record.timeMs = BigInt(effective.timeMs);
  if (limits?.memoryBytes !== undefined && limits.memoryBytes >= memoryCapBytes) record.memoryBytes = undefined;
  return record as Wit.Limits;
}

/** The limits LIMITS says the WIT carries are exactly the WIT record's fields (a type error when either changes alone). */
type WitCarried = { [K in LimitName]: (typeof LIMITS)[K] extends { wit: string } ? K : never }[LimitName];
const witFieldsMatch: [WitCarried, keyof Wit.Limits] extends [keyof Wit.Limits, WitCarried] ? true : never = true;
void witFieldsMatch;

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

/** The WIT call of a REPL evaluation in the worker's guest session (the `repl` interface's `eval`). */
export function witEvalCall(code: string, limits: Wit.Limits): WitCall {
  return { op: 'session.eval', args: [code, limits] };
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

/**
 * The line of a traceback or stack that names the error (`ValueError: boom`, `RangeError: boom`,
 * `SyntaxError: invalid syntax`): the last line of stderr that starts with an error class's name. CPython prints it
 * last; Node first, before the `at` frames. Undefined when there is none (a program that printed its own report).
 */
export function errorLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').filter((line) => /^(?:Uncaught )?[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning)\b(?::|$)/.test(line));
  return lines.at(-1)?.replace(/^Uncaught /, '').slice(0, 500);
}

/** `output`: what the program printed, for an error that carries no stage result (see CallResult). */
export function toExecError(error: Wit.Error, output?: PrintedOutput): ExecError {
  if (error.tag === 'compilation-failed' || error.tag === 'runtime-failed') {
    const result = stage(error.val);
    return new ExecError(error.tag, result, errorLine(result.stderr));
  }
  if (error.tag === 'internal') return new ExecError(error.tag, error.val);
  return new ExecError(error.tag satisfies ExecErrorTag, undefined, undefined, { output });
}

/** The memory cap reached: resource-exceeded, as the contract says. */
function memoryLimitReached(memoryCapBytes: number, output: PrintedOutput | undefined): ExecError {
  return new ExecError('resource-exceeded', undefined, `memory limit of ${memoryCapBytes} bytes reached`, { output });
}

/**
 * The value of a successful call, or throws the ExecError its outcome stands for. A hard timeout is `timeout`; a trap
 * with linear memory at the cap is `resource-exceeded` (the guest's allocator found no more room and gave up), so is
 * one on the native stack's end (the worker says which: protocol.ts); any other trap is `internal`. A guest that
 * caught its own out-of-memory failure says so with its error's tag.
 */
export function unwrap(result: CallResult, memoryCapBytes: number): unknown {
  const { output } = result;
  if (result.hardTimeout) throw new ExecError('timeout', undefined, 'stopped by the host', { output });
  if (result.cancelled) throw new ExecError('internal', 'the run was cancelled', undefined, { output });
  const { outcome } = result;
  if (outcome.kind === 'ok') return outcome.value;
  if (outcome.kind === 'err') throw toExecError(outcome.error, output);
  if (result.memoryBytes >= memoryCapBytes - NEAR_CAP_BYTES) throw memoryLimitReached(memoryCapBytes, output);
  if (outcome.stackOverflow) {
    throw new ExecError('resource-exceeded', undefined, `the sandbox's native stack (${SANDBOX_STACK_MB} MB) ran out`, { output });
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
  if (event.tag === 'failed') throw toExecError(event.val);
  return toRunResult(event.val, memory.runMemoryBytes);
}

/** An eval call's result as the library's EvalResult, or throws its ExecError (as a run's, see unwrap). */
export function evalResultOf(result: CallResult, memory: MemoryView, stateReset: boolean): EvalResult {
  const raw = unwrap(result, memory.memoryCapBytes) as WitEvalResult;
  return {
    stdout: raw.stdout,
    stderr: raw.stderr,
    value: raw.value ?? null,
    stateReset,
    timeMs: raw.timeMs === undefined ? null : Number(raw.timeMs),
    memoryBytes: raw.memoryBytes === undefined ? memory.runMemoryBytes : Number(raw.memoryBytes),
  };
}

// Turns what a sandbox worker reports into the library's outcome: a RunResult, or an ExecError with the WIT tag.
import { ExecError, type ExecErrorTag } from './errors.js';
import type { RunResult, StageResult } from './types.js';
import type { CallResult } from '../engine/sandbox-worker.js';

/** Linear memory within this many bytes of the cap counts as "ran out of memory" when an instance traps. */
const NEAR_CAP_BYTES = 4 * 2 ** 20;

function stage(raw: any): StageResult {
  return {
    stdout: raw.stdout,
    stderr: raw.stderr,
    exitCode: raw.exitCode ?? null,
    signal: raw.signal ?? null,
  };
}

export function toRunResult(raw: any, hostMemoryBytes: number): RunResult {
  return {
    ...stage(raw.run),
    compile: raw.compile ? stage(raw.compile) : null,
    timeMs: raw.timeMs === undefined ? null : Number(raw.timeMs),
    // The guest's own measure where it has one, else the instance's linear memory (its peak: it never shrinks).
    memoryBytes: raw.memoryBytes === undefined ? hostMemoryBytes : Number(raw.memoryBytes),
  };
}

export function toExecError(error: { tag: string; val?: unknown }): ExecError {
  const tag = error.tag as ExecErrorTag;
  if (tag === 'compilation-failed' || tag === 'runtime-failed') return new ExecError(tag, stage(error.val));
  if (tag === 'internal') return new ExecError(tag, String(error.val));
  return new ExecError(tag);
}

/** The guest's out-of-memory failures (a MemoryError, SpiderMonkey's "out of memory") at the cap. */
const OUT_OF_MEMORY = /\b(MemoryError|out of memory)\b/;

/** A runtime failure that is really the memory cap being reached: resource-exceeded, as the contract says. */
function ranOutOfMemory(error: { tag: string; val?: any }, memoryBytes: number, memoryCapBytes: number): ExecError | undefined {
  const nearCap = memoryBytes >= memoryCapBytes - NEAR_CAP_BYTES;
  const message = error.tag === 'internal' ? String(error.val) : error.tag === 'runtime-failed' ? String(error.val?.stderr) : '';
  if (nearCap && OUT_OF_MEMORY.test(message)) {
    return new ExecError('resource-exceeded', undefined, `memory limit of ${memoryCapBytes} bytes reached`);
  }
  return undefined;
}

/**
 * The value of a successful call, or throws the ExecError its outcome stands for. A hard timeout is `timeout`; a trap
 * at the memory cap (or reported as out-of-memory) is `resource-exceeded`; any other trap is `internal`.
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
  throw new ExecError('internal', `the sandbox crashed: ${outcome.message}`, undefined, { cause: outcome });
}

/** What a sandbox's memory looks like to a result: its measure for the run, its actual size, its cap. */
export interface MemoryView {
  runMemoryBytes: number;
  memoryBytes: number;
  memoryCapBytes: number;
}

/** The terminal event of a drained exec-stream (`finished` / `failed`) as a RunResult, or throws. */
export function fromTerminalEvent(event: any, memory: MemoryView): RunResult {
  if (!event) throw new ExecError('internal', 'the stream ended without a finished or failed event');
  if (event.tag === 'failed') throw ranOutOfMemory(event.val, memory.memoryBytes, memory.memoryCapBytes) ?? toExecError(event.val);
  return toRunResult(event.val, memory.runMemoryBytes);
}

// Routing of Python runs to the data-work interpreter (engine/data-python/): a run whose files import one of the
// packages only it has goes there when it is installed; every other run stays on the componentized CPython
// (exec-python.wasm), which starts in milliseconds. Without the install, such a run goes to the componentized guest
// too, whose ModuleNotFoundError names `npm run setup:data` (components/python/golem_exec/hints.py).
import { Buffer } from 'node:buffer';
import { DataPythonUnavailableError, runDataPython, type DataRunOutcome } from '../engine/data-python/engine.js';
import { installedDataPython } from '../engine/data-python/artifacts.js';
import { SANDBOX_STACK_MB } from '../engine/sandbox-worker.js';
import { ExecError } from './errors.js';
import { callLimits, type EffectiveLimits } from './limits.js';
import type { ValidRunOptions } from './options.js';
import { NEAR_CAP_BYTES, errorLine } from './wit.js';
import type { FileInput, RunResult, StageResult } from './types.js';

/** Top-level packages the data-work interpreter has and the componentized CPython lacks (its MANIFEST's). */
export const DATA_PACKAGES = ['numpy', 'pandas', 'matplotlib', 'scipy', 'sklearn', 'statsmodels', 'seaborn', 'PIL', 'lxml',
  'openpyxl', 'xlsxwriter', 'xlrd', 'pypdf', 'bs4', 'yaml', 'sympy', 'networkx', 'patsy', 'contourpy', 'kiwisolver',
  'fontTools', 'reportlab', 'joblib', 'formulaic', 'narwhals'] as const;

const PACKAGE = `(?:${DATA_PACKAGES.join('|')})\\b`;
/** `from numpy...`, `import numpy...`, `import os, numpy as np` (a statement at the start of a line, not in a string). */
const IMPORT = new RegExp(`^\\s*(?:from\\s+${PACKAGE}|import\\s+(?:[\\w.]+(?:\\s+as\\s+\\w+)?\\s*,\\s*)*${PACKAGE})`, 'm');

/** Whether a Python run's sources import a data package (a top-level `import x` / `from x import`, in any .py file). */
export function importsDataPackage(run: ValidRunOptions): boolean {
  if (run.language !== 'python') return false;
  const sources = run.files.filter((f) => f.name.endsWith('.py')).map((f) => text(f));
  return sources.some((source) => IMPORT.test(source));
}

function text(file: FileInput): string {
  return typeof file.content === 'string' && (file.encoding ?? 'utf8') === 'utf8' ? file.content : Buffer.from(bytes(file)).toString('utf8');
}

function bytes(file: FileInput): Uint8Array {
  if (file.content instanceof Uint8Array) return file.content;
  return Buffer.from(file.content, file.encoding ?? 'utf8');
}

/** Whether `run` goes to the data-work interpreter. */
export function routesToDataPython(run: ValidRunOptions): boolean {
  return installedDataPython() !== undefined && importsDataPackage(run);
}

/** Runs `run` on the data-work interpreter: its RunResult, or the ExecError its outcome stands for (as wit.ts's). */
export async function runOnDataPython(run: ValidRunOptions, limits: EffectiveLimits, scratchRoot?: string): Promise<RunResult> {
  const files = [...run.files];
  if (run.entry) files.sort((a, b) => Number(b.name === run.entry) - Number(a.name === run.entry));
  let outcome: DataRunOutcome;
  try {
    outcome = await runDataPython({
      files: files.map((file) => ({ name: file.name, bytes: bytes(file) })),
      args: run.args ?? [],
      env: run.env ?? {},
      stdin: typeof run.stdin === 'string' ? Buffer.from(run.stdin) : (run.stdin ?? new Uint8Array()),
      cwd: run.cwd ?? '',
      mounts: run.mounts,
      timeMs: limits.timeMs,
      memoryBytes: limits.memoryBytes,
      limits: callLimits(limits),
      signal: run.signal,
      scratchRoot,
    });
  } catch (error) {
    if (error instanceof DataPythonUnavailableError) throw new ExecError('unsupported-language', undefined, error.message, { cause: error });
    throw error;
  }
  return resultOf(outcome, limits.memoryBytes);
}

function resultOf(outcome: DataRunOutcome, memoryCapBytes: number): RunResult {
  const { output } = outcome;
  if (outcome.kind === 'timeout') throw new ExecError('timeout', undefined, 'stopped by the host', { output });
  if (outcome.kind === 'cancelled') throw new ExecError('internal', 'the run was cancelled', undefined, { output });
  const atCap = outcome.memoryBytes >= memoryCapBytes - NEAR_CAP_BYTES;
  const line = errorLine(output.stderr);
  if (outcome.kind === 'trap') {
    if (atCap) throw new ExecError('resource-exceeded', undefined, `memory limit of ${memoryCapBytes} bytes reached`, { output });
    if (outcome.stackOverflow) throw new ExecError('resource-exceeded', undefined, `the sandbox's native stack (${SANDBOX_STACK_MB} MB) ran out`, { output });
    throw new ExecError('internal', `the sandbox crashed: ${outcome.message}`);
  }
  const stage: StageResult = { stdout: output.stdout, stderr: output.stderr, exitCode: outcome.exitCode, signal: null };
  // CPython exits 1 after printing an uncaught exception's traceback: the componentized guest's runtime-failed (a
  // SyntaxError in the program: compilation-failed). A MemoryError is the memory limit.
  if (outcome.exitCode === 1 && output.stderr.includes('Traceback (most recent call last):') && line) {
    // numpy's _ArrayMemoryError included: an allocation larger than the room left fails before memory reaches the cap.
    if (/^[\w.]*MemoryError\b/.test(line)) throw new ExecError('resource-exceeded', undefined, `memory limit of ${memoryCapBytes} bytes reached`, { output });
    throw new ExecError(/^(SyntaxError|IndentationError|TabError)\b/.test(line) ? 'compilation-failed' : 'runtime-failed', stage, line);
  }
  return { ...stage, compile: null, timeMs: Math.round(outcome.timeMs), memoryBytes: outcome.memoryBytes };
}

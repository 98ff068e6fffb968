// Routing of Python runs to the data-work interpreter (engine/data-python/): a run whose files import one of the
// packages only it has goes there when it is installed; every other run stays on the componentized CPython
// (exec-python.wasm), which starts in milliseconds. Without the install, such a run goes to the componentized guest
// too, whose ModuleNotFoundError names `npm run setup:data` (components/python/golem_exec/hints.py). A session's run
// goes there the same way (its files on the host decide), in the session's directory; a session's `eval` cannot (the
// REPL state would have to outlive the interpreter's per-run instance) and says so.
import { Buffer } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, type Dirent } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { DataPythonUnavailableError, runDataPython, type DataRunOutcome, type DataWorkspace } from '../engine/data-python/engine.js';
import { installedDataPython } from '../engine/data-python/artifacts.js';
import { SANDBOX_STACK_MB } from '../engine/sandbox-worker.js';
import { SESSION_DIR } from '../engine/guest-layout.js';
import type { MountSpec } from '../engine/protocol.js';
import { ExecError } from './errors.js';
import { callLimits, type EffectiveLimits } from './limits.js';
import type { ValidRunOptions } from './options.js';
import { NEAR_CAP_BYTES, errorLine } from './wit.js';
import type { StdinRelay, StreamChunk } from './run-stream.js';
import type { FileInput, RunCommon, RunResult, SessionRunOptions, StageResult } from './types.js';

/** Top-level packages the data-work interpreter has and the componentized CPython lacks (its MANIFEST's). */
export const DATA_PACKAGES = ['numpy', 'pandas', 'matplotlib', 'scipy', 'sklearn', 'statsmodels', 'seaborn', 'PIL', 'lxml',
  'openpyxl', 'xlsxwriter', 'xlrd', 'pypdf', 'bs4', 'yaml', 'sympy', 'networkx', 'patsy', 'contourpy', 'kiwisolver',
  'fontTools', 'reportlab', 'joblib', 'formulaic', 'narwhals'] as const;

const PACKAGE = `(?:${DATA_PACKAGES.join('|')})\\b`;
/** `from numpy...`, `import numpy...`, `import os, numpy as np` (a statement at the start of a line, not in a string). */
const IMPORT = new RegExp(`^\\s*(?:from\\s+${PACKAGE}|import\\s+(?:[\\w.]+(?:\\s+as\\s+\\w+)?\\s*,\\s*)*${PACKAGE})`, 'm');

/** Whether any of these Python sources imports a data package (a top-level `import x` / `from x import`). */
function importsDataPackageIn(sources: Iterable<string>): boolean {
  for (const source of sources) if (IMPORT.test(source)) return true;
  return false;
}

/** Whether a Python run's sources import a data package (in any .py file). */
export function importsDataPackage(run: ValidRunOptions): boolean {
  if (run.language !== 'python') return false;
  return importsDataPackageIn(run.files.filter((f) => f.name.endsWith('.py')).map((f) => text(f)));
}

function text(file: FileInput): string {
  return typeof file.content === 'string' && (file.encoding ?? 'utf8') === 'utf8' ? file.content : Buffer.from(bytes(file)).toString('utf8');
}

function bytes(file: FileInput): Uint8Array {
  if (file.content instanceof Uint8Array) return file.content;
  return Buffer.from(file.content, file.encoding ?? 'utf8');
}

/** Whether the data-work interpreter is installed (`setup-data`), so Python runs that import its packages use it. */
export function dataWorkInstalled(): boolean {
  return installedDataPython() !== undefined;
}

/** Whether `run` goes to the data-work interpreter. */
export function routesToDataPython(run: ValidRunOptions): boolean {
  // The scan first: every run of either language passes here, and only a Python run that imports a data package
  // needs to look on disk for the install.
  return importsDataPackage(run) && dataWorkInstalled();
}

/**
 * The error of a session evaluation that imports a data package while the interpreter is installed: REPL state lives
 * in the session's component instance, and the data-work interpreter keeps none between runs (a fresh instance each).
 */
export function dataEvalRefusal(language: string, code: string): ExecError | undefined {
  if (language !== 'python' || !IMPORT.test(code) || !dataWorkInstalled()) return undefined;
  const message = 'numpy, pandas and matplotlib are not available to session.eval (the data-work interpreter keeps no REPL ' +
    'state between runs): write the code to a file and run it with session.run';
  return new ExecError('unsupported-language', undefined, message, { cause: new DataPythonUnavailableError(message) });
}

/**
 * Whether `error` says the data-work interpreter cannot run this (not installed for it, an older Node, an evaluation):
 * a program's failure the caller reads in its result (the service answers it as a run's error, not a bad `version`).
 */
export function isDataWorkUnavailable(error: ExecError): boolean {
  return error.tag === 'unsupported-language' && error.cause instanceof DataPythonUnavailableError;
}

/** A session's program as the host finds it: the session's workspace, its guest directory, working directory, entry. */
export interface SessionProgram {
  /** The host directory preopened at /workspace. */
  workspace: string;
  /** The guest session's directory in it (layout SESSION_DIR). */
  sessionDir: string;
  /** The working directory, relative to the session's directory ('' for the directory itself). */
  cwd: string;
  /** The run's entrypoint, relative to the working directory. */
  entrypoint: string;
}

/**
 * What the host reads of a session to route one run (every Python run of a session pays for it): the first
 * SOURCE_HEAD_BYTES of the entry and of up to MAX_SCANNED_FILES other .py files, SCAN_BUDGET_BYTES in all (imports are
 * at the top of a file). A session holding more is routed by what was read.
 */
const MAX_SCANNED_FILES = 500;
const SOURCE_HEAD_BYTES = 64 * 1024;
const SCAN_BUDGET_BYTES = 4 * 2 ** 20;

/**
 * Where a session's run goes: the entry's path in the workspace when the entry or another .py file of the session
 * imports a data package (and the interpreter is installed), else undefined (the session's own sandbox runs it, and
 * says what is wrong with an entry that is missing or outside the session). Symlinks are not followed: only what the
 * session holds itself decides (its sandbox is idle while the host reads: session calls run one at a time).
 */
export function sessionDataEntry(program: SessionProgram): string | undefined {
  if (!dataWorkInstalled() || !SESSION_DIR.test(program.sessionDir)) return undefined;
  const entry = posix.normalize(posix.join(program.sessionDir, program.cwd, program.entrypoint));
  if (!entry.startsWith(`${program.sessionDir}/`)) return undefined;
  if (!insideReal(join(program.workspace, program.sessionDir), join(program.workspace, posix.dirname(entry)))) return undefined;
  const entrySource = readHead(join(program.workspace, entry));
  if (entrySource === undefined) return undefined;
  if (importsDataPackageIn([entrySource])) return entry;
  const others: string[] = [];
  listSources(program.workspace, program.sessionDir, others);
  let budget = SCAN_BUDGET_BYTES;
  for (const name of others) {
    if (name === entry) continue;
    const source = readHead(join(program.workspace, name), Math.min(SOURCE_HEAD_BYTES, budget));
    if (source === undefined) continue;
    if (importsDataPackageIn([source])) return entry;
    budget -= source.length;
    if (budget <= 0) break;
  }
  return undefined;
}

/** Whether directory `dir` is `root` or below it once symlinks on the way are resolved (false if either is gone). */
function insideReal(root: string, dir: string): boolean {
  try {
    const [realRoot, realDir] = [realpathSync(root), realpathSync(dir)];
    return realDir === realRoot || realDir.startsWith(`${realRoot}${sep}`);
  } catch {
    return false;
  }
}

/** The .py files below `workspace/dir` (workspace-relative; real files in real directories), up to MAX_SCANNED_FILES. */
function listSources(workspace: string, dir: string, into: string[], depth = 0) {
  if (depth > 64) return;
  let entries: Dirent[];
  try {
    entries = readdirSync(join(workspace, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (into.length >= MAX_SCANNED_FILES) return;
    const name = `${dir}/${entry.name}`;
    if (entry.isDirectory()) listSources(workspace, name, into, depth + 1);
    else if (entry.isFile() && name.endsWith('.py')) into.push(name);
  }
}

/** A regular file's first `limit` bytes as text, not through a symlink; undefined if it is not one or cannot be read. */
function readHead(path: string, limit = SOURCE_HEAD_BYTES): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(limit);
    return buffer.subarray(0, readSync(fd, buffer, 0, limit, 0)).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Runs `run` on the data-work interpreter: its RunResult, or the ExecError its outcome stands for (as wit.ts's). */
export function runOnDataPython(run: ValidRunOptions, limits: EffectiveLimits, scratchRoot?: string, stream?: DataStream): Promise<RunResult> {
  const files = [...run.files];
  if (run.entry) files.sort((a, b) => Number(b.name === run.entry) - Number(a.name === run.entry));
  return runOn({ files: files.map((file) => ({ name: file.name, bytes: bytes(file) })) }, run.cwd ?? '', run.mounts, run, limits, scratchRoot, stream);
}

/** A streamed run's ends: where its output goes as it is written, and its stdin (read live unless given). */
export interface DataStream {
  onChunk: StreamChunk;
  stdin: StdinRelay;
}

/**
 * Runs a session's program (`entry`, from sessionDataEntry) on the data-work interpreter with the session's
 * directory as its workspace, so what it writes stays among the session's files; the disk quota counts them all.
 */
export function runSessionOnDataPython(workspace: string, entry: string, cwd: string, mounts: readonly MountSpec[],
  run: SessionRunOptions, limits: EffectiveLimits, scratchRoot?: string, stream?: DataStream): Promise<RunResult> {
  return runOn({ directory: workspace, entry }, cwd, mounts, run, limits, scratchRoot, stream);
}

async function runOn(workspace: DataWorkspace, cwd: string, mounts: readonly MountSpec[], run: RunCommon,
  limits: EffectiveLimits, scratchRoot: string | undefined, stream: DataStream | undefined): Promise<RunResult> {
  let outcome: DataRunOutcome;
  try {
    outcome = await runDataPython({
      workspace,
      args: run.args ?? [],
      env: run.env ?? {},
      stdin: typeof run.stdin === 'string' ? Buffer.from(run.stdin) : (run.stdin ?? new Uint8Array()),
      cwd,
      mounts,
      timeMs: limits.timeMs,
      memoryBytes: limits.memoryBytes,
      limits: callLimits(limits),
      signal: run.signal,
      scratchRoot,
      onChunk: stream?.onChunk,
      liveStdin: stream && run.stdin === undefined ? (target) => stream.stdin.attach(target) : undefined,
    });
  } catch (error) {
    if (error instanceof DataPythonUnavailableError) throw new ExecError('unsupported-language', undefined, error.message, { cause: error });
    throw error;
  } finally {
    stream?.stdin.detach();
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

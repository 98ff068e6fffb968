// The public types of the golem-exec library. Names follow the WIT contract (wit/exec.wit), in TypeScript's case.
import type { EffectiveLimits, LimitName, Limits } from './limits.js';
import type { LanguageName } from './languages.js';

export type Language = 'javascript' | 'python';
export const LANGUAGES: readonly Language[] = ['javascript', 'python'];

export type Encoding = 'utf8' | 'base64' | 'hex';

/** A file given to a run or uploaded to a session. */
export interface FileInput {
  /** Relative path inside the sandbox (subdirectories allowed). */
  name: string;
  /** Text (written as UTF-8, or decoded per `encoding`) or raw bytes. */
  content: string | Uint8Array;
  /** How a string `content` is encoded: `utf8` (default), `base64` or `hex`. */
  encoding?: Encoding;
}

export type { Limits };

/**
 * A host directory visible to programs at `guestPath` (like the Go backend's Spec mounts). Nothing else of the host
 * is reachable: `..`, other absolute paths and symlinks that point out of the directory are refused. Programs cannot
 * create symlinks in it (see README, "Mounts", for concurrent runs sharing a read-write mount).
 */
export interface Mount {
  /** An existing host directory. */
  hostPath: string;
  /** Where programs see it: an absolute path such as `/data`; not `/`, and not `/workspace` or below it. */
  guestPath: string;
  /** Programs may only read (default). `false`: they may create, change and delete files in it. */
  readOnly?: boolean;
}

export interface RunCommon {
  /** Bytes or text for the program's stdin. Streamed runs may instead write it live (`RunStream.stdin`). */
  stdin?: string | Uint8Array;
  /** Arguments after the entry file (`process.argv.slice(2)`, `sys.argv[1:]`). */
  args?: string[];
  /** The program's entire environment (nothing of the host's is inherited). */
  env?: Record<string, string>;
  limits?: Limits;
  /** Aborting stops the run at once (its sandbox is discarded); it then rejects with ExecError `internal`. */
  signal?: AbortSignal;
}

export interface RunOptions extends RunCommon {
  /** A language or an alias of one (`js`, `ts`/`typescript`, `py`: LANGUAGE_NAMES). */
  language: LanguageName;
  /** Language version (`"3.14"`); accepted and ignored where it cannot be honoured. */
  version?: string;
  /** The program as one source string (becomes `main.js` / `main.ts` / `main.py`), or ... */
  code?: string;
  /** ... the program's files; the entry is `entry` or the first file. */
  files?: FileInput[];
  /** Name of the entry file among `files` (default: the first). */
  entry?: string;
  /** Working directory of the program, relative to the files' root (default: the root). */
  cwd?: string;
  /**
   * Run on a component instance no other run has used (default: a warm pooled instance, whose globals and modules
   * the guest resets between runs). Spare fresh instances are started ahead, so this costs the instance's first run,
   * not its start-up, while spares last.
   */
  fresh?: boolean;
  /** Host directories to mount for this run (it then runs on a sandbox started for it, not a pooled one). */
  mounts?: Mount[];
}

/** The outcome of one stage (`stage-result`). */
export interface StageResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
}

/** The outcome of a run that ended by itself or through exit (`exec-result`). */
export interface RunResult extends StageResult {
  /** The compile stage, where the language has one (never, for the current components). */
  compile: StageResult | null;
  /** Wall-clock time of the run inside the sandbox. */
  timeMs: number | null;
  /** Linear memory of the sandbox after the run (its peak: wasm memory never shrinks). */
  memoryBytes: number | null;
}

/** One event of a streamed run. */
export type StreamEvent =
  | { type: 'stdout'; data: Uint8Array }
  | { type: 'stderr'; data: Uint8Array }
  | { type: 'finished'; result: RunResult };

export interface SessionOptions {
  /** A language or an alias of one (LANGUAGE_NAMES); the session's `language` is the language itself. */
  language: LanguageName;
  version?: string;
  /** Host directory holding the session's files (default: a fresh temporary directory, removed on close). */
  directory?: string;
  /** Host directories mounted for every run of the session. */
  mounts?: Mount[];
  /**
   * Defaults for the session's runs (a run's own limits win). `memoryBytes` also sizes the session sandbox's memory
   * cap, which is fixed when the sandbox starts: a run asking for more is held to this cap.
   */
  limits?: Limits;
}

export interface SessionRunOptions extends RunCommon {}

/** Options of one REPL evaluation (`Session.eval`). */
export interface EvalOptions {
  /** This evaluation's limits over the session's. */
  limits?: Limits;
  /** Aborting stops the evaluation at once (its sandbox is replaced, the REPL state discarded). */
  signal?: AbortSignal;
}

/** The outcome of one REPL evaluation (the WIT `eval-result`). */
export interface EvalResult {
  stdout: string;
  stderr: string;
  /**
   * The final expression's value as the language's REPL shows it (Python: `repr()`; JavaScript: as Node's REPL
   * inspects it); null when the code does not end in an expression, or its value is None / undefined.
   */
  value: string | null;
  /**
   * The session's REPL state was discarded since the previous successful evaluation (one was stopped at a limit, or
   * the session's sandbox was replaced): names defined before are gone. The session's files are not affected.
   */
  stateReset: boolean;
  timeMs: number | null;
  memoryBytes: number | null;
}

/** Which host enforces which limit, as reported by `info()`: each limit of `Limits`, the output cap and isolation. */
export type LimitEnforcement = { [K in LimitName]: string } & { output: string; isolation: string };

export interface EngineInfo {
  version: string;
  node: string;
  /** componentize-js, componentize-py, jco and preview2-shim versions. */
  toolchain: Record<string, string>;
  engines: Record<Language, { component: string; bytes: number; engine: string }>;
  languages: Language[];
  limits: LimitEnforcement;
  defaults: EffectiveLimits;
}

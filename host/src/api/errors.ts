// The library's two error classes: ExecError for an outcome of the sandbox (the WIT `error` variant), OptionError
// for options the caller got wrong (raised before anything runs).
import type { StageResult } from './types.js';

export type ExecErrorTag =
  | 'unsupported-language'
  | 'compilation-failed'
  | 'runtime-failed'
  | 'timeout'
  | 'resource-exceeded'
  | 'internal';

const DESCRIPTIONS: Record<ExecErrorTag, string> = {
  'unsupported-language': 'the sandbox does not run this language',
  'compilation-failed': 'the program did not compile',
  'runtime-failed': 'the program failed',
  timeout: 'the program exceeded its time limit',
  'resource-exceeded': 'the program exceeded a resource limit',
  internal: 'the sandbox reported an error',
};

/** An error outcome of a run or session call: the WIT error variant's `tag` and `payload`. */
export class ExecError extends Error {
  override name = 'ExecError';
  readonly tag: ExecErrorTag;
  /** `compilation-failed` / `runtime-failed`: the stage result; `internal`: the message; otherwise undefined. */
  readonly payload: StageResult | string | undefined;
  /** A failed `Session.eval`: the session's REPL state was lost before it (see EvalResult.stateReset). */
  stateReset?: boolean;

  /** What the program printed before it was stopped, where there is no stage result (a timeout, a memory stop). */
  private readonly printed: { stdout: string; stderr: string } | undefined;

  constructor(tag: ExecErrorTag, payload?: StageResult | string, detail?: string, options?: { cause?: unknown; output?: { stdout: string; stderr: string } }) {
    const message = typeof payload === 'string' ? payload : detail ? `${DESCRIPTIONS[tag]}: ${detail}` : DESCRIPTIONS[tag];
    super(message, options);
    this.tag = tag;
    this.payload = payload;
    this.printed = options?.output;
  }

  /** The stage result of a compile or runtime failure (stdout so far, stderr with the diagnostic, exit code). */
  get stage(): StageResult | undefined {
    return typeof this.payload === 'object' ? this.payload : undefined;
  }

  /** What the program printed: the stage result's stdout, or, for a run that was stopped, its output so far. */
  get stdout(): string {
    return this.stage?.stdout ?? this.printed?.stdout ?? '';
  }

  get stderr(): string {
    return this.stage?.stderr ?? this.printed?.stderr ?? '';
  }

  toJSON() {
    return { name: this.name, tag: this.tag, message: this.message, payload: this.payload ?? null, stdout: this.stdout, stderr: this.stderr };
  }
}

/** A call on an Executor (or one of its sessions' pools) after `close()`. */
export class ExecutorClosedError extends Error {
  override name = 'ExecutorClosedError';
  constructor() {
    super('the executor is closed');
  }
}

/** Options that cannot be used: names the option and quotes the value. Nothing has run when it is thrown. */
export class OptionError extends TypeError {
  override name = 'OptionError';
  constructor(readonly option: string, readonly value: unknown, reason: string) {
    super(`invalid option ${option}${value === undefined ? '' : ` (${quote(value)})`}: ${reason}`);
  }
}

function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'number') return String(value); // NaN and Infinity, which JSON shows as null
  try {
    const text = JSON.stringify(value);
    return text && text.length > 60 ? `${text.slice(0, 57)}...` : String(text);
  } catch {
    return String(value);
  }
}

// Every limit of a run in one place: its default, the effective value of a call, and what each layer is told. The
// host enforces all of them itself (engine/: the sandbox thread is terminated at the time limit, linear memory is
// capped, output and file writes are cut in the host's WASI); the guests are told that (EXEC_HOST_TIMEOUT,
// EXEC_HOST_ISOLATION) and skip their own deadline checks, which only hosts that cannot stop a run need.
import { OptionError } from './errors.js';
import type { Limits } from './types.js';

const MiB = 2 ** 20;

/** The memory a sandbox may be given: a 32-bit linear memory holds at most 4 GiB; below 16 MiB no guest starts. */
export const MEMORY_RANGE = { min: 16 * MiB, max: 4 * 2 ** 30 } as const;

/**
 * Names the caller gives for files it creates (run files, uploads, a run's cwd). A segment at most Linux's NAME_MAX;
 * the whole name short enough to sit below the sandbox's directories within any host's PATH_MAX (4096 bytes); nesting
 * shallow enough for the guests' directory creation (CPython's os.makedirs recurses once per level, and 2,000 levels
 * end in a RecursionError).
 */
export const NAME_LIMITS = { bytes: 1024, segmentBytes: 255, depth: 64 } as const;

/**
 * The memory class of a requested cap: the next power of two at or above it (16 MiB .. 4 GiB: at most 9 classes), at
 * most `ceiling`. A server keeps a pool of warm sandboxes per distinct cap, and never drops one: rounding every
 * request to its class bounds how many pools clients can make it start (the HTTP service and the MCP server both use
 * this). A value out of range is returned as it is, for the library to report.
 */
export function memoryClass<T>(asked: T, ceiling: number = MEMORY_RANGE.max): T | number {
  if (typeof asked !== 'number' || !Number.isInteger(asked) || asked < MEMORY_RANGE.min || asked > MEMORY_RANGE.max) return asked;
  return Math.min(ceiling, MEMORY_RANGE.max, 2 ** Math.ceil(Math.log2(asked)));
}

/** Every limit with a value: the defaults of an Executor, and what one call gets. */
export interface EffectiveLimits {
  /** Wall-clock time of one run, ms. */
  timeMs: number;
  /** Linear memory of the sandbox, bytes. */
  memoryBytes: number;
  /** The largest a file may become, bytes. */
  fileSizeBytes: number;
  /** The most bytes a stateless run's files, or a session's files, may take together. */
  diskBytes: number;
  /** Per stream: stdout and stderr beyond this are cut, with one marker line. */
  outputBytes: number;
}

/** Built-in defaults; EXEC_TIMEOUT_MS, EXEC_MEMORY_LIMIT_MB and EXEC_OUTPUT_LIMIT_BYTES override the first three. */
export const BUILT_IN_DEFAULTS: EffectiveLimits = {
  timeMs: 5000,
  memoryBytes: 256 * MiB,
  outputBytes: MiB,
  fileSizeBytes: 64 * MiB,
  diskBytes: 256 * MiB,
};

function envNumber(name: string, scale: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new OptionError(name, raw, 'expected a positive number');
  return value * scale;
}

/** An Executor's defaults: what it was given, else the EXEC_* environment, else the built-in values. */
export function resolveDefaults(given: Partial<EffectiveLimits> = {}): EffectiveLimits {
  const defaults: EffectiveLimits = {
    timeMs: given.timeMs ?? envNumber('EXEC_TIMEOUT_MS', 1) ?? BUILT_IN_DEFAULTS.timeMs,
    memoryBytes: given.memoryBytes ?? envNumber('EXEC_MEMORY_LIMIT_MB', MiB) ?? BUILT_IN_DEFAULTS.memoryBytes,
    outputBytes: given.outputBytes ?? envNumber('EXEC_OUTPUT_LIMIT_BYTES', 1) ?? BUILT_IN_DEFAULTS.outputBytes,
    fileSizeBytes: given.fileSizeBytes ?? BUILT_IN_DEFAULTS.fileSizeBytes,
    diskBytes: given.diskBytes ?? BUILT_IN_DEFAULTS.diskBytes,
  };
  for (const [name, value] of Object.entries(defaults)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new OptionError(`defaults.${name}`, value, 'expected a positive whole number');
  }
  if (defaults.memoryBytes < MEMORY_RANGE.min || defaults.memoryBytes > MEMORY_RANGE.max) {
    throw new OptionError('defaults.memoryBytes', defaults.memoryBytes, 'expected 16 MiB to 4 GiB');
  }
  return defaults;
}

/** Where a session takes its limits and its sandboxes' environment from (its Executor). */
export interface LimitSource {
  effectiveLimits(limits: Limits | undefined): EffectiveLimits;
  instanceEnv(): Record<string, string>;
}

/** What a call with `limits` gets: each limit it gives, else the default. */
export function effectiveLimits(limits: Limits | undefined, defaults: EffectiveLimits): EffectiveLimits {
  return {
    timeMs: limits?.timeMs ?? defaults.timeMs,
    memoryBytes: limits?.memoryBytes ?? defaults.memoryBytes,
    fileSizeBytes: limits?.fileSizeBytes ?? defaults.fileSizeBytes,
    diskBytes: limits?.diskBytes ?? defaults.diskBytes,
    outputBytes: defaults.outputBytes,
  };
}

/**
 * The limits the sandbox thread enforces on what leaves the guest (engine/protocol.ts's CallLimits; the return type is
 * left to inference so that the public declarations do not reach into the engine's).
 */
export function callLimits(limits: EffectiveLimits) {
  return { outputBytes: limits.outputBytes, fileSizeBytes: limits.fileSizeBytes, diskBytes: limits.diskBytes };
}

/**
 * The instance's own environment: the EXEC_* defaults the guests read, and the two switches that tell them the host
 * stops runs at their time limit and resets the instance after every run.
 */
export function instanceEnv(defaults: EffectiveLimits): Record<string, string> {
  return {
    EXEC_TIMEOUT_MS: String(defaults.timeMs),
    EXEC_MEMORY_LIMIT_MB: String(Math.floor(defaults.memoryBytes / MiB)),
    EXEC_OUTPUT_LIMIT_BYTES: String(defaults.outputBytes),
    EXEC_HOST_TIMEOUT: '1',
    EXEC_HOST_ISOLATION: '1',
  };
}

// Every limit of a run in one place: its default, the effective value of a call, and what each layer is told. The
// host enforces all of them itself (engine/: the sandbox thread is terminated at the time limit, linear memory is
// capped, output and file writes are cut in the host's WASI); the guests are told that (EXEC_HOST_TIMEOUT,
// EXEC_HOST_ISOLATION) and skip their own deadline checks, which only hosts that cannot stop a run need.
import { OptionError } from './errors.js';

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

export interface Limits {
  /** Wall-clock limit of one run in ms (default: `EXEC_TIMEOUT_MS` or 5000). */
  timeMs?: number;
  /** Linear-memory limit of the sandbox in bytes (default: `EXEC_MEMORY_LIMIT_MB` or 256 MiB). */
  memoryBytes?: number;
  /** Largest file a run may write or upload, in bytes (default 64 MiB; enforced by the host on every write). */
  fileSizeBytes?: number;
  /**
   * Disk quota in bytes: what a stateless run's files, or all of a session's files, may take together (default
   * 256 MiB). A write past it fails with ENOSPC.
   */
  diskBytes?: number;
  /** Accepted for the contract; there are no processes in the sandbox. */
  maxProcesses?: number;
}

/** Everything each layer needs to know of one limit of `Limits`: its range, default, WIT field, flags and docs. */
export interface LimitSpec {
  /** What it bounds, in a few words (the HTTP schema's description, the CLI's help). */
  description: string;
  /** The smallest and largest value a caller may give; `minText`/`maxText` say them in words for the error message. */
  min: number;
  max: number;
  minText?: string;
  maxText?: string;
  /** The built-in default; a limit without one is only passed on when a call gives it. */
  default?: number;
  /** The EXEC_* variable that overrides the default, and its unit in bytes/ms. */
  env?: { name: string; scale: number };
  /** How the WIT `limits` record carries it (u64 fields are bigints in jco's shapes); absent: the host's alone. */
  wit?: 'u64' | 'u32';
  /** The CLI flag of `golem-exec run`, whether it takes a duration (1.5s) or a size (64M), and its help line. */
  cli?: { flag: string; unit: 'duration' | 'size'; help: string };
  /** A client of the HTTP service may lower it, not raise it past the server's ceiling (a shared resource). */
  serverCeiling?: boolean;
  /** Where and how this host enforces it (`info().limits`). */
  enforcement: string;
}

/** Every per-call limit. A new limit is a field of `Limits` plus its entry here (and the WIT, the guests, the docs). */
export const LIMITS = {
  timeMs: {
    description: "wall-clock limit in ms, at most the server's ceiling (GET /info: service.maxLimits)", min: 1, max: 24 * 3600 * 1000, maxText: '24 h', default: 5000, serverCeiling: true,
    env: { name: 'EXEC_TIMEOUT_MS', scale: 1 }, wit: 'u64', cli: { flag: '--timeout', unit: 'duration', help: 'time limit: 1500 (ms), 1.5s, 2m (default 5s)' },
    enforcement: 'host: the sandbox thread is terminated at the limit (the guest runs no deadline checks under this host)',
  },
  memoryBytes: {
    description: "linear-memory limit in bytes (16 MiB to 4 GiB, at most the server's ceiling)", min: MEMORY_RANGE.min, max: MEMORY_RANGE.max, serverCeiling: true,
    minText: '16 MiB', maxText: '4 GiB', default: 256 * MiB, env: { name: 'EXEC_MEMORY_LIMIT_MB', scale: MiB }, wit: 'u64',
    cli: { flag: '--memory', unit: 'size', help: 'memory limit: 64M, 1G or bytes (default 256M)' },
    enforcement: "host: the instance's linear memory is capped (declared maximum); a run that reaches it is resource-exceeded",
  },
  fileSizeBytes: {
    description: 'largest file the program may write (default 64 MiB)', min: 0, max: Number.MAX_SAFE_INTEGER, default: 64 * MiB,
    wit: 'u64', cli: { flag: '--file-size', unit: 'size', help: 'largest file the program may write: 1M, 2G or bytes (default 64M)' }, serverCeiling: true,
    enforcement: "host: the sandbox's WASI filesystem fails a write past the limit with EFBIG, whatever the guest does",
  },
  diskBytes: {
    description: "disk quota: what a run's files, or a session's files, may take together (default 256 MiB)",
    min: 0, max: Number.MAX_SAFE_INTEGER, default: 256 * MiB, cli: { flag: '--disk', unit: 'size', help: "disk quota of the program's files: 64M, 1G or bytes (default 256M)" }, serverCeiling: true,
    enforcement: "host: the sandbox's WASI filesystem fails a write past the quota (a stateless run's files, a session's files) with ENOSPC",
  },
  maxProcesses: {
    description: 'accepted; the sandbox has no processes', min: 0, max: 2 ** 32 - 1, wit: 'u32',
    enforcement: 'no processes exist in the sandbox',
  },
} as const satisfies Record<keyof Limits, LimitSpec>;

export type LimitName = keyof Limits;
export const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[];

/** The limits that always have a value (a built-in default). */
type DefaultedLimit = { [K in LimitName]: (typeof LIMITS)[K] extends { default: number } ? K : never }[LimitName];

/** Every limit with a value: the defaults of an Executor, and what one call gets. */
export type EffectiveLimits = { [K in DefaultedLimit]: number } & {
  /** Per stream: stdout and stderr beyond this are cut, with one marker line (an Executor's setting, not a call's). */
  outputBytes: number;
};

const DEFAULTED = LIMIT_NAMES.filter((name): name is DefaultedLimit => 'default' in LIMITS[name]);

/** The output cap's default and the variable that overrides it (not a per-call limit: see EffectiveLimits). */
const OUTPUT = { default: MiB, env: { name: 'EXEC_OUTPUT_LIMIT_BYTES', scale: 1 } } as const;

/** Built-in defaults; the EXEC_* variables of LIMITS (and EXEC_OUTPUT_LIMIT_BYTES) override them. */
export const BUILT_IN_DEFAULTS: EffectiveLimits = {
  ...(Object.fromEntries(DEFAULTED.map((name) => [name, (LIMITS[name] as { default: number }).default])) as { [K in DefaultedLimit]: number }),
  outputBytes: OUTPUT.default,
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
  const fromEnv = (spec: { env?: { name: string; scale: number } }) => spec.env && envNumber(spec.env.name, spec.env.scale);
  const defaults = { ...BUILT_IN_DEFAULTS };
  for (const name of DEFAULTED) defaults[name] = given[name] ?? fromEnv(LIMITS[name] as LimitSpec) ?? BUILT_IN_DEFAULTS[name];
  defaults.outputBytes = given.outputBytes ?? fromEnv(OUTPUT) ?? OUTPUT.default;
  for (const [name, value] of Object.entries(defaults)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new OptionError(`defaults.${name}`, value, 'expected a positive whole number');
  }
  for (const name of DEFAULTED) {
    const { min, max, minText, maxText } = LIMITS[name] as LimitSpec;
    if (defaults[name] < min || defaults[name] > max) {
      throw new OptionError(`defaults.${name}`, defaults[name], `expected ${minText ?? min} to ${maxText ?? max}`);
    }
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
  const effective = { ...defaults };
  for (const name of DEFAULTED) effective[name] = limits?.[name] ?? defaults[name];
  return effective;
}

/**
 * The limits the sandbox thread enforces on what leaves the guest (engine/protocol.ts's CallLimits; the return type is
 * left to inference so that the public declarations do not reach into the engine's).
 */
export function callLimits(limits: EffectiveLimits) {
  return { outputBytes: limits.outputBytes, fileSizeBytes: limits.fileSizeBytes, diskBytes: limits.diskBytes };
}

/**
 * The instance's own environment: the EXEC_* defaults the guests read, and the switches that tell them the host
 * stops runs at their time limit, resets the instance after every run, and keeps each run's output from their own
 * stdio (so that a run it stops still reports what it printed: engine/output-tail.ts).
 */
export function instanceEnv(defaults: EffectiveLimits): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of DEFAULTED) {
    const spec = LIMITS[name] as LimitSpec;
    if (spec.env) env[spec.env.name] = String(Math.floor(defaults[name] / spec.env.scale));
  }
  env[OUTPUT.env.name] = String(defaults.outputBytes);
  return { ...env, EXEC_HOST_TIMEOUT: '1', EXEC_HOST_ISOLATION: '1', EXEC_MIRROR_OUTPUT: '1' };
}

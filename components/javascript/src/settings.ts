// Defaults a host can set through the component's own environment (read on first use: at build time the snapshot
// sees the build machine's environment, not the host's).
import { getEnvironment } from 'wasi:cli/environment@0.2.12';

/** Time limit when a call gives none (the ticket's EXEC_TIMEOUT_MS default). */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Default cap on each of stdout and stderr, in bytes (EXEC_OUTPUT_LIMIT_BYTES overrides it). */
export const DEFAULT_OUTPUT_LIMIT = 1 << 20;

export interface Settings {
  /** 0: no guest deadline (a host that enforces time itself can switch the checks' clock reads off). */
  timeoutMs: number;
  outputLimitBytes: number;
  /**
   * EXEC_HOST_TIMEOUT=1: the host stops a run at its time limit itself (the Node library, the wasmtime host), so the
   * guest inserts no deadline checks into user code (they cost 1.3-2x CPU) and keeps no deadline.
   */
  hostTimeout: boolean;
  /**
   * EXEC_MIRROR_OUTPUT=1: every run writes its output to the component's own stdout/stderr as produced, not only a
   * streamed run: a host that stops a run (time limit) keeps what it printed so far from there.
   */
  mirrorOutput: boolean;
  /**
   * EXEC_HOST_ISOLATION=1: the host puts the whole instance back into its recorded state after every run (the Node
   * library, the wasmtime host), so the guest's own rollback of a run needs to cover only what assembling the run's
   * result goes through (isolation.ts `restoreGlobals`).
   */
  hostIsolation: boolean;
}

let settings: Settings | undefined;

function nonNegative(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

export function getSettings(): Settings {
  if (!settings) {
    const env = Object.fromEntries(getEnvironment());
    settings = {
      timeoutMs: nonNegative(env.EXEC_TIMEOUT_MS) ?? DEFAULT_TIMEOUT_MS,
      outputLimitBytes: positive(env.EXEC_OUTPUT_LIMIT_BYTES) ?? DEFAULT_OUTPUT_LIMIT,
      hostTimeout: env.EXEC_HOST_TIMEOUT === '1',
      mirrorOutput: env.EXEC_MIRROR_OUTPUT === '1',
      hostIsolation: env.EXEC_HOST_ISOLATION === '1',
    };
  }
  return settings;
}

/**
 * Replaces the settings (undefined: read the environment again on next use). For the build-time warm-up, which runs
 * where the component's environment cannot be read, and must leave nothing read behind.
 */
export function overrideSettings(value: Settings | undefined): void {
  settings = value;
}

// Helpers for tests that call the host's WASI implementation directly.

/** The WASI error code a call throws (the filesystem throws codes as strings), or 'ok'. */
export function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (typeof error !== 'string') throw error;
    return error;
  }
}

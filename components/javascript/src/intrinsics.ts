// The engine's timer and clock functions, captured before any user code runs: the runtime keeps using these even
// if a program replaces the globals of the same names.
export const realSetTimeout = globalThis.setTimeout.bind(globalThis);
export const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
export const realSetInterval = globalThis.setInterval.bind(globalThis);
export const realClearInterval = globalThis.clearInterval.bind(globalThis);
export const realQueueMicrotask = globalThis.queueMicrotask.bind(globalThis);
const performanceNow = performance.now.bind(performance);
let clock: () => number = performanceNow;
/** The monotonic clock, in milliseconds. */
export const now = (): number => clock();
/**
 * Replaces the clock (none: the real one again). The build-time warm-up needs this: the engine's clock cannot be
 * read while the component is pre-initialised.
 */
export function replaceClock(replacement?: () => number): void {
  clock = replacement ?? performanceNow;
}

// The engine's timer and clock functions, captured before any user code runs: the runtime keeps using these even
// if a program replaces the globals of the same names.
export const realSetTimeout = globalThis.setTimeout.bind(globalThis);
export const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
export const realSetInterval = globalThis.setInterval.bind(globalThis);
export const realClearInterval = globalThis.clearInterval.bind(globalThis);
export const realQueueMicrotask = globalThis.queueMicrotask.bind(globalThis);
export const now = performance.now.bind(performance);

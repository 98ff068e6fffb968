// Stands in for the `process/` package that readable-stream requires (for nextTick, and to leave process.stdout /
// process.stderr open at the end of a pipe). The library is bundled once; each run has its own `process`, so every
// use looks up the current one.
const current = () => globalThis.process;
module.exports = {
  nextTick: (fn, ...args) => current().nextTick(fn, ...args),
  get stdout() {
    return current()?.stdout;
  },
  get stderr() {
    return current()?.stderr;
  },
  get env() {
    return current()?.env ?? {};
  },
  emitWarning: (...args) => current()?.emitWarning(...args),
};

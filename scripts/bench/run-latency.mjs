// Latency of one hello-world run through the library, per language: warm pooled runs back to back, runs spaced so a
// pooled sandbox has finished resetting, `fresh: true` runs, and session runs; and the median of a small CPU-bound
// program. Prints p50/p95 in ms as JSON. Used for the before/after figures of "Session 4" in what-we-tried.md (run it
// in two checkouts in turn).
//
//   node --experimental-wasm-extended-const scripts/bench/run-latency.mjs [N] [--distinct]
//     --distinct  a new source for every run (a comment with the run's number), so no per-source cache helps
import { Executor } from '../../build/host/index.js';
import { setTimeout as sleep } from 'node:timers/promises';

const N = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 100);
const DISTINCT = process.argv.includes('--distinct');
const HELLO = { javascript: 'console.log("hello", 6 * 7)', python: 'print("hello", 6 * 7)' };
const COMMENT = { javascript: '//', python: '#' };
let serial = 0;
const CODE = new Proxy(HELLO, { get: (target, language) => (DISTINCT ? `${target[language]} ${COMMENT[language]} ${serial++}` : target[language]) });
const CPU = {
  javascript: 'let s=0; for (let i=0;i<3e6;i++) s+=i%7; function fib(n){return n<2?n:fib(n-1)+fib(n-2)} console.log(s, fib(22))',
  python: 's=0\nfor i in range(1_000_000): s+=i%7\ndef fib(n): return n if n<2 else fib(n-1)+fib(n-2)\nprint(s, fib(20))',
};

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: Number(at(0.5).toFixed(2)), p95: Number(at(0.95).toFixed(2)), n: samples.length };
}

async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const exec = new Executor({ poolSize: 2 });
const out = {};
for (const language of ['javascript', 'python']) {
  await exec.warm(language, 2);
  await exec.warm(language, 2, { fresh: true });
  for (let i = 0; i < 10; i++) await exec.run({ language, code: CODE[language] });
  const backToBack = [];
  for (let i = 0; i < N; i++) backToBack.push(await time(() => exec.run({ language, code: CODE[language] })));
  const spaced = [];
  for (let i = 0; i < N; i++) {
    await sleep(30);
    spaced.push(await time(() => exec.run({ language, code: CODE[language] })));
  }
  const fresh = [];
  for (let i = 0; i < Math.min(N, 20); i++) {
    await sleep(150);
    fresh.push(await time(() => exec.run({ language, code: CODE[language], fresh: true })));
  }
  const session = await exec.session({ language });
  await session.upload(language === 'python' ? 'main.py' : 'main.js', HELLO[language]);
  const entry = language === 'python' ? 'main.py' : 'main.js';
  for (let i = 0; i < 5; i++) await session.run(entry);
  const sessionRuns = [];
  for (let i = 0; i < N; i++) sessionRuns.push(await time(() => session.run(entry)));
  await session.close();
  const cpu = [];
  for (let i = 0; i < 7; i++) cpu.push(await time(() => exec.run({ language, code: CPU[language] })));
  out[language] = { cpuBound: stats(cpu), warmBackToBack: stats(backToBack), warmSpaced: stats(spaced), fresh: stats(fresh), session: stats(sessionRuns) };
}
await exec.close();
console.log(JSON.stringify(out, null, 1));

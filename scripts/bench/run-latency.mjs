// Latency of one hello-world run through the library, per language: warm pooled runs back to back, runs spaced so a
// pooled sandbox has finished resetting, `fresh: true` runs, and session runs. Prints p50/p95 in ms as JSON.
//
//   node --experimental-wasm-extended-const scripts/bench/run-latency.mjs [N]
import { Executor } from '../../build/host/index.js';
import { setTimeout as sleep } from 'node:timers/promises';

const N = Number(process.argv[2] ?? 100);
const CODE = { javascript: 'console.log("hello", 6 * 7)', python: 'print("hello", 6 * 7)' };

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
  const code = CODE[language];
  await exec.warm(language, 2);
  await exec.warm(language, 2, { fresh: true });
  for (let i = 0; i < 10; i++) await exec.run({ language, code });
  const backToBack = [];
  for (let i = 0; i < N; i++) backToBack.push(await time(() => exec.run({ language, code })));
  const spaced = [];
  for (let i = 0; i < N; i++) {
    await sleep(30);
    spaced.push(await time(() => exec.run({ language, code })));
  }
  const fresh = [];
  for (let i = 0; i < Math.min(N, 20); i++) {
    await sleep(150);
    fresh.push(await time(() => exec.run({ language, code, fresh: true })));
  }
  const session = await exec.session({ language });
  await session.upload(language === 'python' ? 'main.py' : 'main.js', code);
  const entry = language === 'python' ? 'main.py' : 'main.js';
  for (let i = 0; i < 5; i++) await session.run(entry);
  const sessionRuns = [];
  for (let i = 0; i < N; i++) sessionRuns.push(await time(() => session.run(entry)));
  await session.close();
  out[language] = { warmBackToBack: stats(backToBack), warmSpaced: stats(spaced), fresh: stats(fresh), session: stats(sessionRuns) };
}
await exec.close();
console.log(JSON.stringify(out, null, 1));

// How fast the Node host's hard backstop stops a program the guest cannot interrupt, and how soon the sandbox is
// ready again, through the library: a long builtin call with time-ms 300, then hello-world on the same Executor.
// `stopped_ms`: from the call to the timeout error (the backstop fires a quarter of the limit later, at least 100 ms: 400 ms);
// `ready_ms`: from the error to the next run's result (a fresh instance replaces the terminated one). Prints JSON.
//   node scripts/bench/node-backstop.mjs [--reps N]
import { Executor } from '../../build/host/index.js';

const reps = Number(process.argv[process.argv.indexOf('--reps') + 1]) || 5;
const RUNAWAY = { javascript: "/(a+)+$/.test('a'.repeat(40) + 'b')", python: 'sum(range(10**13))' };
const HELLO = { javascript: 'console.log("hello")', python: 'print("hello")' };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
const exec = new Executor({ poolSize: 1 });
for (const language of ['javascript', 'python']) {
  await exec.run({ language, code: HELLO[language] });
  const stopped = [];
  const ready = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    const error = await exec.run({ language, code: RUNAWAY[language], limits: { timeMs: 300 } }).catch((e) => e);
    if (error?.tag !== 'timeout') throw new Error(`expected a timeout, got ${error?.tag ?? 'a result'}`);
    const timedOut = performance.now();
    await exec.run({ language, code: HELLO[language] });
    stopped.push(timedOut - start);
    ready.push(performance.now() - timedOut);
  }
  results[language] = { time_ms_limit: 300, stopped_ms: median(stopped), ready_ms: median(ready), n: reps };
}
await exec.close();
console.log(JSON.stringify(results));

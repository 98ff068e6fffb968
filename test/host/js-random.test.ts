// Math.random in the JavaScript guest: a generator seeded from the host's entropy at the start of every run (one host
// call a run instead of one a call; components/javascript/src/random.ts).
import { afterAll, expect, it } from 'vitest';
import { Executor } from '../../build/host/index.js';

const exec = new Executor({ poolSize: 1 });
afterAll(() => exec.close());

const draw = 'const xs = Array.from({ length: 10000 }, Math.random); console.log(JSON.stringify({ first: xs.slice(0, 4), inRange: xs.every((x) => x >= 0 && x < 1), mean: xs.reduce((a, b) => a + b) / xs.length, distinct: new Set(xs).size }));';

it('every run draws other numbers (the reset instance is reseeded), all in [0, 1), spread evenly', async () => {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(JSON.parse((await exec.run({ language: 'javascript', code: draw })).stdout));
  for (const run of runs) {
    expect(run.inRange).toBe(true);
    expect(run.distinct).toBe(10000);
    expect(Math.abs(run.mean - 0.5)).toBeLessThan(0.02);
  }
  expect(new Set(runs.map((run) => JSON.stringify(run.first))).size).toBe(3);
});

it('a program that replaces Math.imul or crypto.getRandomValues does not change the generator', async () => {
  const code = `Math.imul = () => 0; crypto.getRandomValues = (a) => a; ${draw}`;
  const run = JSON.parse((await exec.run({ language: 'javascript', code })).stdout);
  expect(run.distinct).toBe(10000);
  expect(Math.abs(run.mean - 0.5)).toBeLessThan(0.02);
});

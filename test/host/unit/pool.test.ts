// host/src/engine/pool.ts with real JavaScript sandboxes: a worker is reset before it is offered again, a worker whose
// memory grew past 75 % of its cap or that trapped is retired and replaced, and a closed pool takes no more runs.
// Runs go through the pool's `use` and the worker's WIT `run` call directly (what Executor.run does, minus the API).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../../../build/host/engine/pool.js';
import type { SandboxWorker } from '../../../build/host/engine/sandbox-worker.js';
import { callLimits, instanceEnv, resolveDefaults } from '../../../build/host/api/limits.js';
import { witFile, witLanguage, witLimits } from '../../../build/host/api/wit.js';

const MiB = 2 ** 20;
const defaults = resolveDefaults({ memoryBytes: 64 * MiB, timeMs: 20_000 });
const scratchRoot = mkdtempSync(join(tmpdir(), 'golem-exec-pool-'));
afterAll(() => rmSync(scratchRoot, { recursive: true, force: true }));

const pools: WorkerPool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

function newPool(size: number, root = scratchRoot) {
  const pool = new WorkerPool({
    language: 'javascript', memoryCapBytes: defaults.memoryBytes, size, env: instanceEnv(defaults), limits: callLimits(defaults), scratchRoot: root,
  });
  pools.push(pool);
  return pool;
}

interface Ran {
  worker: SandboxWorker;
  kind: string;
  stdout?: string;
  /** The worker's linear memory right after the run. */
  memoryBytes: number;
}

function callRun(worker: SandboxWorker, code: string) {
  const args = [witLanguage('javascript'), [witFile({ name: 'main.js', content: code })], undefined, [], [], witLimits(undefined, defaults, worker.memoryCapBytes)];
  return worker.call({ op: 'run', args }, { deadlineMs: defaults.timeMs, limits: callLimits(defaults) });
}

function run(pool: WorkerPool, code: string): Promise<Ran> {
  return pool.use(async (worker) => {
    const result = await callRun(worker, code);
    if (!('outcome' in result)) throw new Error(`the run did not finish: ${JSON.stringify(result)}`);
    const { outcome } = result;
    const stdout = outcome.kind === 'ok' ? (outcome.value as any).run.stdout : undefined;
    return { worker, kind: outcome.kind, stdout, memoryBytes: worker.memoryBytes };
  });
}

/**
 * Prints what it finds of an earlier run's state, then leaves some: a global property (which the JS guest also rolls
 * back itself after every run) and a property on a module-level class the guest does not roll back (test/support/
 * attacks.ts uses the same stash): only the host's reset removes that one.
 */
const SET_GLOBAL = `const stash = require('fs').Stats.prototype;
console.log(typeof globalThis.leaked, typeof stash.leaked);
globalThis.leaked = 'secret';
stash.leaked = 'secret';`;
const PRISTINE = 'undefined undefined\n';
const BUSY = (ms: number) => `const until = Date.now() + ${ms}; while (Date.now() < until) {}`;

describe('WorkerPool', () => {
  it('resets a worker before offering it again: back-to-back runs on one worker see nothing of each other', async () => {
    const pool = newPool(1);
    const first = await run(pool, SET_GLOBAL);
    expect(first).toMatchObject({ kind: 'ok', stdout: PRISTINE });
    const second = await run(pool, SET_GLOBAL);
    expect(second.worker).toBe(first.worker);
    expect(second).toMatchObject({ kind: 'ok', stdout: PRISTINE });
    // Without the reset the stash is there: the same instance, called twice without going back to the pool.
    const leaked = await pool.use(async (worker) => {
      await callRun(worker, SET_GLOBAL);
      const result = await callRun(worker, SET_GLOBAL);
      return (result as any).outcome.value.run.stdout;
    });
    expect(leaked).toMatch(/ string\n$/);
  });

  it('starts a spare when a run has to wait for a reset: back-to-back runs then alternate, never more than `size` at once', async () => {
    const pool = newPool(1);
    await pool.warm(1);
    await run(pool, 'console.log(1)');
    // Back to back: the only worker is being reset, so this run waits for it, and a spare is started meanwhile.
    await run(pool, 'console.log(2)');
    await expect.poll(() => (pool as any).idle.length, { timeout: 20_000 }).toBe(2);
    const third = await run(pool, SET_GLOBAL);
    const fourth = await run(pool, SET_GLOBAL);
    // The fourth did not wait for the third's reset: the spare took it. Both started pristine.
    expect(fourth.worker).not.toBe(third.worker);
    expect([third.stdout, fourth.stdout]).toEqual([PRISTINE, PRISTINE]);
    // Two workers, one run at a time: concurrent calls queue (each prints when it started and ended).
    const spans = await Promise.all(Array.from({ length: 4 }, () => run(pool, `const from = Date.now(); ${BUSY(150)}; console.log(from, Date.now())`)));
    const intervals = spans.map((ran) => ran.stdout!.trim().split(' ').map(Number)).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i][0]).toBeGreaterThanOrEqual(intervals[i - 1][1]);
    expect((pool as any).workers).toBe(2);
  });

  it('retires a worker whose memory grew past 75 % of its cap, and starts another', async () => {
    const root = mkdtempSync(join(scratchRoot, 'retire-'));
    const pool = newPool(1, root);
    const small = await run(pool, 'console.log("small")');
    expect(small.memoryBytes).toBeLessThan(0.75 * defaults.memoryBytes);
    const again = await run(pool, 'console.log("small")');
    expect(again.worker).toBe(small.worker);
    // Past 48 MiB (75 % of 64 MiB) by 6 MiB on top of the instance's own size, within the cap.
    const grow = Math.ceil((0.75 * defaults.memoryBytes - small.memoryBytes) / MiB) + 6;
    const big = await run(pool, `const keep = []; for (let i = 0; i < ${grow}; i++) keep.push(new Uint8Array(1 << 20).fill(i)); console.log(keep.length)`);
    expect(big).toMatchObject({ kind: 'ok', stdout: `${grow}\n` });
    expect(big.worker).toBe(small.worker);
    expect(big.memoryBytes).toBeGreaterThan(0.75 * defaults.memoryBytes);
    const next = await run(pool, 'console.log("after")');
    expect(next).toMatchObject({ kind: 'ok', stdout: 'after\n' });
    expect(next.worker).not.toBe(big.worker);
    expect(big.worker.dead).toBe(true);
    expect(next.memoryBytes).toBeLessThan(0.75 * defaults.memoryBytes);
    // The retired sandbox's scratch directory went with it: one directory per live worker (the back-to-back runs
    // above also started a spare).
    await expect.poll(() => (pool as any).starting + (pool as any).resetting, { timeout: 20_000 }).toBe(0);
    expect(readdirSync(root)).toHaveLength((pool as any).workers);
  });

  it('gives a worker whose memory grew by more than 16 MiB (under 75 % of its cap) a new instance: its memory is back at the warm size', async () => {
    const pool = newPool(1);
    const small = await run(pool, 'console.log("small")');
    // ~20 MiB on top of the instance's own: under 48 MiB (75 % of 64 MiB), so the 75 % rule does not retire it.
    const grown = await run(pool, 'const keep = []; for (let i = 0; i < 20; i++) keep.push(new Uint8Array(1 << 20).fill(i)); console.log(keep.length)');
    expect(grown).toMatchObject({ kind: 'ok', stdout: '20\n' });
    expect(grown.memoryBytes - small.memoryBytes).toBeGreaterThan(16 * MiB);
    expect(grown.memoryBytes).toBeLessThan(0.75 * defaults.memoryBytes);
    const next = await run(pool, 'console.log("after")');
    expect(next).toMatchObject({ kind: 'ok', stdout: 'after\n' });
    // The same thread, a new instance: wasm memory never shrinks, so a kept instance would still be as large.
    expect(next.worker).toBe(grown.worker);
    expect(next.memoryBytes).toBeLessThan(small.memoryBytes + 16 * MiB);
  });

  it('replaces a worker that trapped', async () => {
    const pool = newPool(1);
    const first = await run(pool, 'console.log(1)');
    // A call the bindings cannot lower (an unknown language variant) throws in the sandbox thread: a trap.
    const trapped = await pool.use(async (worker) => {
      const result = await worker.call({ op: 'run', args: [{ kind: 'cobol' }, [], undefined, [], [], {}] }, { deadlineMs: 20_000 });
      return { worker, result };
    });
    expect(trapped.worker).toBe(first.worker);
    expect((trapped.result as any).outcome.kind).toBe('trap');
    expect(trapped.worker.dead).toBe(true);
    const next = await run(pool, 'console.log(2)');
    expect(next.worker).not.toBe(first.worker);
    expect(next).toMatchObject({ kind: 'ok', stdout: '2\n' });
  });

  it('runs concurrent calls on up to poolSize workers, each reset before its next run', async () => {
    const pool = newPool(2);
    await pool.warm(2);
    const firstPair = await Promise.all([run(pool, `${BUSY(200)}; ${SET_GLOBAL}`), run(pool, `${BUSY(200)}; ${SET_GLOBAL}`)]);
    expect(firstPair[0].worker).not.toBe(firstPair[1].worker);
    const workers = new Set(firstPair.map((r) => r.worker));
    const more = await Promise.all(Array.from({ length: 4 }, () => run(pool, SET_GLOBAL)));
    for (const ran of [...firstPair, ...more]) expect(ran).toMatchObject({ kind: 'ok', stdout: PRISTINE });
    for (const ran of more) expect(workers.has(ran.worker)).toBe(true);
  });

  it('refuses runs after close() and stops its idle workers', async () => {
    const pool = newPool(1);
    const ran = await run(pool, 'console.log(1)');
    // Wait for its reset to end: then it is idle (the pool's private list, looked at from here).
    await expect.poll(() => (pool as any).idle.length, { timeout: 10_000 }).toBe(1);
    expect(ran.worker.dead).toBe(false);
    pool.close();
    expect(ran.worker.dead).toBe(true);
    await expect(run(pool, 'console.log(2)')).rejects.toThrow('the executor is closed');
    await expect(pool.use(async () => 'never')).rejects.toThrow('the executor is closed');
  });

  // close() disposes the idle workers and refuses later acquires, but leaves the runs already waiting for a worker
  // in `waiters`: the busy worker is disposed when it is released (offer() sees the pool closed) and nothing
  // settles the waiting run's promise. Executor.close() has the same effect on a queued executor.run().
  it('settles a run that was waiting for a worker when the pool closed', async () => {
    const pool = newPool(1);
    await pool.warm(1);
    const busy = run(pool, BUSY(1000));
    // Its outcome is observed at once: a rejection must not go unhandled while the busy run finishes.
    const waiting = run(pool, 'console.log("queued")').then(() => 'resolved', (error: Error) => `rejected: ${error.message}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    pool.close();
    expect((await busy).kind).toBe('ok');
    const settled = await Promise.race([
      waiting,
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000)),
    ]);
    expect(settled).toBe('rejected: the executor is closed');
  });
});

// One measurement of one in-process subject, in a process of its own (so start-up, memory and JIT state of one
// subject never leak into another's numbers). Prints one JSON line; the orchestrator (bench.mjs) parses it.
//
//   node scripts/bench/child.mjs cold <subject>                 start, first hello-world, RSS after it
//   node scripts/bench/child.mjs warm <subject> <runs>           hello-world latency on a warm instance (paced, then
//                                                                back to back)
//   node scripts/bench/child.mjs fresh <subject> <runs>          hello-world in a new isolated instance per run
//   node scripts/bench/child.mjs cpu <subject> <reps>            the CPU workloads, timed inside the program
//   node scripts/bench/child.mjs everyday <subject> <reps>       the everyday JavaScript workloads, likewise
//   node scripts/bench/child.mjs session <subject> <runs>        ours only: hello-world `session.eval` (state kept)
//   node scripts/bench/child.mjs throughput <subject> <runs>     prints "ready", waits for "go" on stdin, runs
//   node scripts/bench/child.mjs pool-throughput <subject> <workers> <runs>   our Executor with a pool of <workers>
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SUBJECTS, ROOT } from './subjects.mjs';
import { EVERYDAY, HELLO, WARM_PAUSE_MS, WORKLOADS } from './workloads.mjs';

const [mode, name, ...rest] = process.argv.slice(2);
const subject = SUBJECTS[name];
if (!subject) throw new Error(`unknown subject ${name}`);
const hello = HELLO[subject.language];
const now = () => performance.now();
const epochMs = () => performance.timeOrigin + performance.now();
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
/** Peak resident set of this process so far (worker threads included), in MiB. */
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

function checkHello(stdout) {
  if (stdout !== 'hello\n') throw new Error(`${name}: hello-world printed ${JSON.stringify(stdout)}`);
}

async function timedRuns(fn, runs, pauseMs = 0) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const started = now();
    checkHello(await fn());
    samples.push(now() - started);
  }
  return samples;
}

function emit(value) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Each workload of `list` `reps` times on one warm handle; the program reports its own time. */
async function timedWorkloads(list, reps) {
  const handle = await subject.start();
  await handle.run(hello);
  const results = {};
  for (const workload of list) {
    const runs = [];
    for (let i = 0; i < Number(reps); i++) {
      const started = now();
      const stdout = await handle.run(workload[subject.language]);
      const wallMs = now() - started;
      const last = stdout.trim().split('\n').pop();
      const { check, ms } = JSON.parse(last);
      runs.push({ check, ms, wallMs });
    }
    results[workload.name] = runs;
  }
  emit({ results, peakRssMb: peakRssMb() });
  await handle.close();
}

const modes = {
  async cold() {
    const handle = await subject.start();
    const stdout = await handle.run(hello);
    // The orchestrator stops its clock on this line: first hello-world result.
    process.stdout.write(`FIRST ${JSON.stringify(stdout)}\n`);
    checkHello(stdout);
    emit({ rssAfterStartMb: rssMb(), peakRssMb: peakRssMb(), sinceProcessStartMs: now() });
    await handle.close();
  },
  async warm(runs) {
    const handle = await subject.start();
    await timedRuns(() => handle.run(hello), 20);
    const samples = await timedRuns(() => handle.run(hello), Number(runs), WARM_PAUSE_MS);
    const backToBack = await timedRuns(() => handle.run(hello), Number(runs));
    emit({ samples, backToBack, rssMb: rssMb() });
    await handle.close();
  },
  async fresh(runs) {
    const factory = await subject.freshFactory();
    await timedRuns(() => factory.fresh(hello), 1);
    const samples = await timedRuns(() => factory.fresh(hello), Number(runs));
    emit({ samples });
    await factory.close();
  },
  cpu: (reps) => timedWorkloads(WORKLOADS, reps),
  everyday: (reps) => timedWorkloads(EVERYDAY, reps),
  /** Our counterpart of eryx's Session.execute: an evaluation in a session's REPL state. */
  async session(runs) {
    const { Executor } = await import(join(ROOT, 'build', 'host', 'index.js'));
    const exec = new Executor({ poolSize: 1 });
    const session = await exec.session({ language: subject.language });
    const evaluate = async () => (await session.eval(hello)).stdout;
    await timedRuns(evaluate, 20);
    emit({ samples: await timedRuns(evaluate, Number(runs)) });
    await session.close();
    await exec.close();
  },
  async throughput(runs) {
    const handle = await subject.start();
    await timedRuns(() => handle.run(hello), 10);
    process.stdout.write('ready\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    const startedAt = epochMs();
    await timedRuns(() => handle.run(hello), Number(runs));
    emit({ runs: Number(runs), startedAt, endedAt: epochMs() });
    await handle.close();
    process.stdin.destroy();
  },
  async 'pool-throughput'(workers, runs) {
    const { Executor } = await import(join(ROOT, 'build', 'host', 'index.js'));
    const size = Number(workers) || availableParallelism();
    const exec = new Executor({ poolSize: size });
    await exec.warm(subject.language, size);
    const run = async () => checkHello((await exec.run({ language: subject.language, code: hello })).stdout);
    await Promise.all(Array.from({ length: size * 5 }, run));
    let remaining = Number(runs);
    const startedAt = epochMs();
    // Keep every pooled sandbox busy: one loop per worker, pulling runs until none are left.
    await Promise.all(Array.from({ length: size }, async () => {
      while (remaining-- > 0) await run();
    }));
    emit({ runs: Number(runs), startedAt, endedAt: epochMs(), workers: size });
    await exec.close();
  },
};

if (!modes[mode]) throw new Error(`unknown mode ${mode}`);
await modes[mode](...rest);

// The native peers: a `node` or `python3` subprocess per program (what a runner without a sandbox would do).
// Their "fresh isolated instance" is a new process; their compute speed is the reference for the interpreters.
import { execFileSync } from 'node:child_process';
import { GNU_TIME, lastJson, measureSpawn } from './proc.mjs';
import { HELLO, WORKLOADS } from './workloads.mjs';

/** `python3` by default; BENCH_PYTHON picks another interpreter (e.g. one matching the guest's 3.14). */
const PYTHON = process.env.BENCH_PYTHON || 'python3';

export const NATIVE = {
  'node-process': { language: 'javascript', command: process.execPath, flag: '-e' },
  'python3-process': { language: 'python', command: PYTHON, flag: '-c' },
};

export function nativeVersions() {
  return {
    node: process.version,
    python3: execFileSync(PYTHON, ['--version']).toString().trim(),
  };
}

/** Wall time of a new process until its hello-world output arrived, `runs` times in a row. */
export async function spawnHello(name, runs) {
  const { command, flag, language } = NATIVE[name];
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const { markMs, stdout } = await measureSpawn(command, [flag, HELLO[language]], { marker: 'hello' });
    if (stdout !== 'hello\n') throw new Error(`${name} printed ${JSON.stringify(stdout)}`);
    samples.push(markMs);
  }
  return samples;
}

/** Peak RSS (MiB) of a process that prints hello-world, from GNU time. */
export async function helloRss(name) {
  if (!GNU_TIME) return undefined;
  const { command, flag, language } = NATIVE[name];
  const { stderr } = await measureSpawn(GNU_TIME, ['-f', 'MAXRSS %M', command, flag, HELLO[language]]);
  return Number(/MAXRSS (\d+)/.exec(stderr)?.[1]) / 1024;
}

/** Each CPU workload `reps` times, one process per run; `ms` is timed inside the program. */
export async function cpu(name, reps) {
  const { command, flag, language } = NATIVE[name];
  const results = {};
  let peakRssMb = 0;
  for (const workload of WORKLOADS) {
    results[workload.name] = [];
    for (let i = 0; i < reps; i++) {
      const args = GNU_TIME ? ['-f', 'MAXRSS %M', command, flag, workload[language]] : [flag, workload[language]];
      const { stdout, stderr, exitMs } = await measureSpawn(GNU_TIME ?? command, args);
      const { check, ms } = lastJson(stdout);
      results[workload.name].push({ check, ms, wallMs: exitMs });
      const rss = Number(/MAXRSS (\d+)/.exec(stderr)?.[1]) / 1024;
      if (rss > peakRssMb) peakRssMb = rss;
    }
  }
  return { results, peakRssMb: peakRssMb || undefined };
}

/** Hello-world processes, `concurrency` at a time, `runs` in all: runs/s. */
export async function throughput(name, concurrency, runs) {
  const { command, flag, language } = NATIVE[name];
  let remaining = runs;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (remaining-- > 0) await measureSpawn(command, [flag, HELLO[language]]);
  }));
  const seconds = (performance.now() - started) / 1000;
  return { runs, seconds, perSecond: runs / seconds, processes: concurrency };
}

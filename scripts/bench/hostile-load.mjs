// The HTTP service under hostile clients (issue 14; `npm run bench:hostile`): starts `golem-exec serve` as a
// subprocess and reports its RSS before, at the peak of and after two bursts:
//   (a) slow clients: streamed runs whose clients read nothing while the programs write far past the output cap;
//   (b) big memory: runs asking for the server's largest memory class and filling most of it.
// "Before" is taken once every pool the bursts use exists and is warm (a pool per language and memory class is kept,
// and that is the server's steady state); "after" once the server is idle again. The server should come back to
// within 1.5x of where it started. Prints a JSON report, also written to build/bench/hostile-load.json.
//   node scripts/bench/hostile-load.mjs [--clients 4] [--big 6]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuTicks, mib, ROOT, rssBytes, startServer } from './service.mjs';

const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const SLOW_CLIENTS = flag('clients', 4);
const BIG_RUNS = flag('big', 6);
const BIG_MEMORY = 2 ** 30; // the service's default ceiling (SERVICE_MAX_LIMITS.memoryBytes)
const FILL_MIB = 768;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  .then(async (response) => ({ status: response.status, body: await response.json() }));

/** A streamed run whose response is paused: the client reads nothing until `readAll`. */
function pausedStream(url, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/v1/run/stream`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.pause();
      resolve(response);
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

function readAll(response) {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let line = ''; // the line being received; the result event is the last one (it holds the capped output)
    let last = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => {
      bytes += Buffer.byteLength(chunk);
      const lines = (line + chunk).split('\n');
      line = lines.pop();
      if (lines.length) last = lines.at(-1);
    });
    response.on('end', () => resolve({ bytes, result: JSON.parse(last) }));
    response.on('error', reject);
    response.resume();
  });
}

/** Samples the server's RSS until `until` settles, then until the server is idle (its CPU time stops moving). */
async function burst(pid, until) {
  let peak = rssBytes(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 100);
  try {
    const value = await until();
    for (let i = 0, last = -100, now = cpuTicks(pid); i < 60 && now - last > 5; i++) {
      await sleep(1000);
      [last, now] = [now, cpuTicks(pid)];
    }
    return { value, peak: Math.max(peak, rssBytes(pid)) };
  } finally {
    clearInterval(sampler);
  }
}

const STREAM_PROGRAMS = {
  python: 'import sys\nblock = "x" * 65536\nfor i in range(1024):\n    sys.stdout.write(block)\n    sys.stderr.write(block)',
  javascript: 'const block = "x".repeat(65536);\nfor (let i = 0; i < 1024; i++) { process.stdout.write(block); process.stderr.write(block); }',
};
const FILL_PROGRAMS = {
  python: `b = b"x" * (${FILL_MIB} << 20)\nprint(len(b) >> 20)`,
  javascript: `const b = new Uint8Array(${FILL_MIB} << 20).fill(1);\nconsole.log(b.length >> 20)`,
};

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'golem-exec-hostile-'));
  const { child, url } = await startServer(dataDir);
  const pid = child.pid;
  process.once('exit', () => child.kill('SIGKILL')); // also when a check below throws
  try {
    const slots = (await (await fetch(`${url}/health`)).json()).slots;
    // Warm every pool the bursts use, each to its size (one sandbox per slot), with runs that hold their sandbox.
    const hold = { python: 'import time\ntime.sleep(0.3)', javascript: 'const t = Date.now(); while (Date.now() - t < 300);' };
    const warm = (limits) => Promise.all(['python', 'javascript'].flatMap((language) =>
      Array.from({ length: slots }, () => post(`${url}/v1/run`, { language, code: hold[language], limits }))));
    await warm({});
    await sleep(2000);
    const defaultPools = rssBytes(pid);
    await warm({ memoryBytes: BIG_MEMORY });
    await sleep(2000);
    const start = rssBytes(pid);

    // (a) Slow clients: every stream's client reads nothing until the server is idle, then everything.
    const slow = await burst(pid, async () => {
      const responses = await Promise.all(Array.from({ length: SLOW_CLIENTS }, (_, i) => {
        const language = i % 2 ? 'javascript' : 'python';
        return pausedStream(url, { language, code: STREAM_PROGRAMS[language], limits: { timeMs: 60_000 } });
      }));
      return responses;
    });
    const answers = await Promise.all(slow.value.map(readAll));
    await sleep(2000);
    const afterSlow = rssBytes(pid);

    // (b) Big memory: runs in the largest memory class that fill most of it.
    const big = await burst(pid, () => Promise.all(Array.from({ length: BIG_RUNS }, (_, i) => {
      const language = i % 2 ? 'javascript' : 'python';
      return post(`${url}/v1/run`, { language, code: FILL_PROGRAMS[language], limits: { memoryBytes: BIG_MEMORY, timeMs: 60_000 } });
    })));
    await sleep(2000);
    const afterBig = rssBytes(pid);

    const written = SLOW_CLIENTS * 2 * 1024 * 65536;
    const report = {
      benchmark: 'http-service-hostile-clients',
      cores: availableParallelism(),
      node: process.versions.node,
      slots,
      slowClients: {
        streams: SLOW_CLIENTS,
        writtenMiB: mib(written),
        receivedMiB: Number((answers.reduce((sum, a) => sum + a.bytes, 0) / 2 ** 20).toFixed(1)),
        allOk: answers.every((a) => a.result.type === 'result' && a.result.ok),
      },
      bigMemory: {
        runs: BIG_RUNS,
        memoryBytes: BIG_MEMORY,
        filledMiB: FILL_MIB,
        allOk: big.value.every((r) => r.status === 200 && r.body.ok && r.body.stdout === `${FILL_MIB}\n`),
      },
      rssMiB: {
        // The default memory class's pools alone; then with the big class's pools as well (the steady state).
        defaultPools: mib(defaultPools),
        start: mib(start),
        slowPeak: mib(slow.peak),
        afterSlow: mib(afterSlow),
        bigPeak: mib(big.peak),
        afterBig: mib(afterBig),
      },
      endOverStart: Number((afterBig / start).toFixed(2)),
      withinOneAndAHalf: afterSlow <= 1.5 * start && afterBig <= 1.5 * start,
    };
    mkdirSync(join(ROOT, 'build/bench'), { recursive: true });
    writeFileSync(join(ROOT, 'build/bench/hostile-load.json'), JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    if (!report.withinOneAndAHalf || !report.slowClients.allOk || !report.bigMemory.allOk) process.exitCode = 1;
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

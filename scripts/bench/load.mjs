// Bounded load test of the HTTP service (`npm run bench:load`): starts `golem-exec serve` as a subprocess, runs N
// concurrent clients for D seconds with a mix of stateless runs (Python, JavaScript), streamed runs and session work
// (upload + run on shared sessions, checking every answer), samples the server's RSS, and prints a JSON report that
// is also written to build/bench/load.json. Zero errors are expected; any failed or wrong answer is counted.
//   node scripts/bench/load.mjs [--clients 50] [--duration 30] [--sessions 8]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mib, ROOT, rssBytes, startServer } from './service.mjs';

const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CLIENTS = flag('clients', 50);
const DURATION_S = flag('duration', 30);
const SESSIONS = flag('sessions', 8);

const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function expectJson(response, check) {
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text);
  if (!check(body)) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
}

/** One request of each kind; each resolves when its answer was checked, or throws. */
function operations(url, sessions) {
  return {
    async 'run-python'(client, n) {
      await expectJson(await fetch(`${url}/v1/run`, json({ language: 'python', code: `print(sum(range(${n})))` })),
        (body) => body.ok && body.stdout === `${(n * (n - 1)) / 2}\n`);
    },
    async 'run-javascript'(client, n) {
      await expectJson(await fetch(`${url}/v1/run`, json({ language: 'javascript', code: `console.log([...Array(${n}).keys()].reduce((a, b) => a + b, 0))` })),
        (body) => body.ok && body.stdout === `${(n * (n - 1)) / 2}\n`);
    },
    async 'stream-javascript'(client, n) {
      const response = await fetch(`${url}/v1/run/stream`, json({ language: 'javascript', code: `for (let i = 0; i < 3; i++) console.log(${n} + i)` }));
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
      const last = JSON.parse(text.trim().split('\n').at(-1));
      if (last.type !== 'result' || last.stdout !== `${n}\n${n + 1}\n${n + 2}\n`) throw new Error(`unexpected stream end: ${text.slice(-200)}`);
    },
    async session(client, n) {
      const session = sessions[client % sessions.length];
      const name = `client-${client}.txt`;
      const upload = await fetch(`${url}/v1/sessions/${session.id}/files/${name}`, { method: 'PUT', body: String(n) });
      if (upload.status !== 204) throw new Error(`upload: HTTP ${upload.status}: ${(await upload.text()).slice(0, 200)}`);
      await expectJson(await fetch(`${url}/v1/sessions/${session.id}/run`, json({ entrypoint: session.entry, args: [name] })),
        (body) => body.ok && body.stdout === `${n * 2}\n`);
    },
  };
}

const KINDS = ['run-python', 'run-javascript', 'stream-javascript', 'session', 'session'];

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'golem-exec-load-'));
  const { child, url } = await startServer(dataDir);
  const rss = { start: rssBytes(child.pid), peak: 0, samples: [] };
  try {
    // Sessions shared by the session clients (requests to one session queue behind each other).
    const sessions = [];
    for (let i = 0; i < SESSIONS; i++) {
      const language = i % 2 ? 'javascript' : 'python';
      const entry = language === 'python' ? 'double.py' : 'double.js';
      const code = language === 'python'
        ? 'import sys\nprint(int(open(sys.argv[1]).read()) * 2)'
        : 'console.log(Number(require("fs").readFileSync(process.argv[2], "utf8")) * 2)';
      const created = await fetch(`${url}/v1/sessions`, json({ language }));
      const { id } = await created.json();
      await fetch(`${url}/v1/sessions/${id}/files/${entry}`, { method: 'PUT', body: code });
      sessions.push({ id, entry });
    }
    const ops = operations(url, sessions);
    const warmStarted = Date.now();
    await Promise.all(KINDS.map((kind, i) => ops[kind](i, 10)));
    await Promise.all(sessions.map((_, i) => ops.session(i, 1)));
    const warmUpMs = Date.now() - warmStarted;

    const sampler = setInterval(() => {
      const bytes = rssBytes(child.pid);
      rss.peak = Math.max(rss.peak, bytes);
      rss.samples.push(bytes);
    }, 500);
    const latencies = Object.fromEntries(KINDS.map((kind) => [kind, []]));
    const errors = [];
    let requests = 0;
    const started = Date.now();
    const deadline = started + DURATION_S * 1000;
    await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
      const kind = KINDS[client % KINDS.length];
      for (let n = 1; Date.now() < deadline; n++) {
        const begun = performance.now();
        try {
          await ops[kind](client, n + client);
          latencies[kind].push(performance.now() - begun);
        } catch (error) {
          errors.push(`${kind}: ${error.message}`);
        }
        requests++;
      }
    }));
    const elapsedS = (Date.now() - started) / 1000;
    clearInterval(sampler);
    const health = await (await fetch(`${url}/health`)).json();

    const report = {
      benchmark: 'http-service-load',
      clients: CLIENTS,
      durationS: Number(elapsedS.toFixed(1)),
      mix: 'per client, one of: stateless python run, stateless javascript run, streamed javascript run (NDJSON), session upload+run (x2)',
      sessions: SESSIONS,
      cores: availableParallelism(),
      node: process.versions.node,
      warmUpMs,
      requests,
      errors: errors.length,
      errorSamples: [...new Set(errors)].slice(0, 5),
      throughputPerS: Number((requests / elapsedS).toFixed(1)),
      latencyMs: Object.fromEntries(Object.entries(latencies).map(([kind, values]) => {
        const sorted = values.sort((a, b) => a - b);
        return [kind, { count: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted.at(-1)) }];
      })),
      // RSS of the server process (worker threads included); the timeline (6 evenly spaced samples) shows whether it
      // levels off once every sandbox exists or keeps growing.
      rssMiB: {
        start: mib(rss.start), peak: mib(rss.peak), end: mib(rss.samples.at(-1) ?? rss.start),
        timeline: Array.from({ length: 6 }, (_, i) => mib(rss.samples[Math.min(rss.samples.length - 1, Math.round((i * (rss.samples.length - 1)) / 5))] ?? 0)),
      },
      server: { liveSandboxes: health.liveSandboxes, slots: health.slots },
    };
    mkdirSync(join(ROOT, 'build/bench'), { recursive: true });
    writeFileSync(join(ROOT, 'build/bench/load.json'), JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    if (errors.length) process.exitCode = 1;
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (value) => (value === null || value === undefined ? null : Math.round(value));

await main();

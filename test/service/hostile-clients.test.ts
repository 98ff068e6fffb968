// Memory under hostile clients (issue 14): a client that does not read its streamed answer while the program writes
// far more than the output cap costs the server a bounded buffer (the live output is cut at the cap, and what waits
// for the client is kept compactly), and the server's resident memory shows it.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ndjson, startServer, type RunningServer } from './support/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer(['--concurrency', '2', '--idle-timeout', '0']);
});

afterAll(async () => {
  await server?.stop();
});

const MiB = 2 ** 20;

/** The server process's resident set, bytes. */
function rss(): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) * 1024;
}

/** CPU time the server process has used, in clock ticks. */
function cpuTicks(): number {
  const fields = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a streamed run and returns its response paused: the client reads nothing until told to. */
function pausedStream(body: unknown): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}/v1/run/stream`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.pause();
      resolve(response);
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

function readAll(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (text += chunk));
    response.on('end', () => resolve(text));
    response.on('error', reject);
    response.resume();
  });
}

describe('a client that does not read its stream', () => {
  test.each(['python', 'javascript'] as const)('%s: 2 x 128 MiB written while the clients read nothing cost the server far less than the output', async (language) => {
    // Start both pool workers first, so that their start-up is not counted.
    const warm = { language, code: language === 'python' ? 'import time\ntime.sleep(0.5)' : 'const t = Date.now(); while (Date.now() - t < 500);' };
    await Promise.all([0, 1].map(() => fetch(`${server.url}/v1/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(warm) }).then((r) => r.text())));
    // ...and let their resets end: a run that finds every worker being reset makes the pool start a spare (pool.ts),
    // whose start-up would be counted here.
    await sleep(1000);
    const before = rss();

    // 64 MiB to each of stdout and stderr, in 64 KiB writes: 256 MiB over the two runs.
    const code = language === 'python'
      ? 'import sys\nblock = "x" * 65536\nfor i in range(1024):\n    sys.stdout.write(block)\n    sys.stderr.write(block)'
      : 'const block = "x".repeat(65536);\nfor (let i = 0; i < 1024; i++) { process.stdout.write(block); process.stderr.write(block); }';
    const responses = await Promise.all([0, 1].map(() => pausedStream({ language, code, limits: { timeMs: 60_000 } })));
    // Wait (bounded) until the runs are over: the server's CPU time stops moving while nobody reads.
    let peak = rss();
    for (let i = 0, last = -100, now = cpuTicks(); i < 120 && now - last > 5; i++) {
      await sleep(1000);
      peak = Math.max(peak, rss());
      [last, now] = [now, cpuTicks()];
    }
    const texts = await Promise.all(responses.map(readAll));
    peak = Math.max(peak, rss());

    // Bounded by the cap and the 64 chunks in flight, not by the 256 MiB written; what grows besides is the two
    // workers' guest heaps (the JavaScript instance starts at ~26 MiB since Intl; measured up to 65.5 MiB on Node 24).
    expect(peak - before).toBeLessThan(96 * MiB);
    // Each wait for a slow client used to leave a `close` listener on its answer until the answer ended.
    expect(server.stderr()).not.toMatch(/MaxListenersExceededWarning/);
    for (const text of texts) {
      const events = ndjson(text);
      const result = events.at(-1);
      expect(result).toMatchObject({ type: 'result', ok: true, exitCode: 0 });
      // What reached the client is the output cap and one marker per stream, like the result itself.
      const stdout = events.filter((event) => event.type === 'stdout').map((event) => event.data).join('');
      expect(stdout).toBe(result.stdout);
      expect(stdout).toMatch(/^x{1048576}\n\[golem-exec: stdout truncated after 1048576 bytes\]\n$/);
    }
  }, 240_000);
});

// Sessions survive the service: SIGKILL in the middle of a run, restart on the same --data-dir, and every file a
// completed upload or run wrote is there. Also: idle sessions expire, and a full server answers 503 + Retry-After.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { client, startServer, type RunningServer } from './support/server.js';

const dataDirs: string[] = [];
const servers: RunningServer[] = [];

function freshDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'golem-exec-service-test-'));
  dataDirs.push(dir);
  return dir;
}

async function start(args: string[]) {
  const server = await startServer(args);
  servers.push(server);
  return server;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Reads a streamed answer until `marker` appears in it (the program has reached that point), then leaves it open. */
async function readUntil(response: Response, marker: string) {
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before "${marker}": ${text}`);
    text += new TextDecoder().decode(value);
  }
}

describe('persistence', () => {
  test('files survive a SIGKILL mid-run and a restart', async () => {
    const dataDir = freshDataDir();
    const first = await start(['--data-dir', dataDir, '--idle-timeout', '0']);
    const api = client(first.url);
    const python = await api.session('python');
    const js = await api.session('javascript');

    await api.put(`/v1/sessions/${python}/files/input/data.txt`, 'kept');
    await api.put(`/v1/sessions/${python}/files/writer.py`, 'open("made.txt", "w").write(open("input/data.txt").read() + " and made")');
    expect((await api.post(`/v1/sessions/${python}/run`, { entrypoint: 'writer.py' })).body).toMatchObject({ ok: true });
    await api.put(`/v1/sessions/${js}/files/slow.js`,
      'require("fs").writeFileSync("before.txt", "written before the kill"); console.log("started"); for (;;) {}');

    // Kill the server while slow.js is running (it has printed "started", so before.txt is written).
    const running = await fetch(`${first.url}/v1/sessions/${js}/run/stream`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entrypoint: 'slow.js', limits: { timeMs: 60_000 } }),
    });
    await readUntil(running, 'started');
    await first.stop('SIGKILL');

    const second = await start(['--data-dir', dataDir, '--idle-timeout', '0']);
    const again = client(second.url);
    expect((await again.get('/health')).body.sessions).toBe(2);
    expect((await again.get(`/v1/sessions/${python}/files`)).body).toEqual({ files: ['input/data.txt', 'made.txt', 'writer.py'] });
    expect((await again.get(`/v1/sessions/${python}/files/made.txt`)).text).toBe('kept and made');
    expect((await again.get(`/v1/sessions/${js}/files`)).body).toEqual({ files: ['before.txt', 'slow.js'] });
    expect((await again.get(`/v1/sessions/${js}/files/before.txt`)).text).toBe('written before the kill');
    // The adopted sessions work as before.
    expect((await again.post(`/v1/sessions/${python}/run`, { entrypoint: 'writer.py' })).body).toMatchObject({ ok: true, exitCode: 0 });
    expect((await again.get(`/v1/sessions/${python}/files/made.txt`)).text).toBe('kept and made');
    expect((await again.delete(`/v1/sessions/${js}`)).status).toBe(204);
    expect(existsSync(join(dataDir, 'sessions', js))).toBe(false);
    // A graceful stop (SIGTERM) stops the sandboxes and keeps the sessions.
    await second.stop('SIGTERM');
    expect(second.child.exitCode).toBe(0);
    const third = await start(['--data-dir', dataDir, '--idle-timeout', '0']);
    expect((await client(third.url).get(`/v1/sessions/${python}/files/made.txt`)).text).toBe('kept and made');
  });
});

describe('limits of the service', () => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = freshDataDir();
    server = await start(['--data-dir', dataDir, '--concurrency', '1', '--max-queue', '1', '--idle-timeout', '1s']);
  });

  test('an idle session expires and its files are deleted', async () => {
    const api = client(server.url);
    const id = await api.session('javascript');
    expect(readdirSync(join(dataDir, 'sessions'))).toContain(id);
    // Poll (no timing is asserted): the session disappears, then so do its files.
    let status = 200;
    for (let polls = 0; (status !== 404 || existsSync(join(dataDir, 'sessions', id))) && polls < 240; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await api.get(`/v1/sessions/${id}`)).status;
    }
    expect(status).toBe(404);
    expect(readdirSync(join(dataDir, 'sessions'))).not.toContain(id);
  });

  test('a full server answers 503 with Retry-After', async () => {
    const api = client(server.url);
    // One slot, one waiting place. Occupy the slot with a run that is provably running, then ask twice more:
    // one request waits, the other is refused.
    const busy = await fetch(`${server.url}/v1/run/stream`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'javascript', code: 'console.log("started"); for (;;) {}', limits: { timeMs: 60_000 } }),
    });
    await readUntil(busy, 'started');
    const program = { language: 'javascript', code: 'console.log(1)' };
    const refused = await Promise.race([api.post('/v1/run', program), api.post('/v1/run', program)]);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('overloaded');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await api.get('/health')).body).toMatchObject({ running: 1, waiting: 1 });
    await server.stop('SIGKILL');
  });
});

describe('tokens from the environment', () => {
  test('GOLEM_EXEC_TOKEN (comma-separated) guards the API like --token', async () => {
    const server = await startServer([], { GOLEM_EXEC_TOKEN: 'env-one,env-two' });
    try {
      expect((await client(server.url).get('/info')).status).toBe(401);
      expect((await client(server.url, 'wrong').get('/info')).status).toBe(401);
      expect((await client(server.url, 'env-two').get('/info')).status).toBe(200);
      expect((await client(server.url).get('/health')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

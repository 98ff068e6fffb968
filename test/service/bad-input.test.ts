// Bad input a hostile client sends the HTTP service (issue 14): every one is a 400 (or 415) naming the field, never a
// 500 or a 404 for a route that exists; the per-request ceilings of time and memory are the server's to set.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { client, startServer, type RunningServer } from './support/server.js';

let server: RunningServer;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startServer(['--token', 'bad-input-token', '--idle-timeout', '0', '--max-timeout', '20s', '--max-memory', '512M']);
  api = client(server.url, 'bad-input-token');
});

afterAll(async () => {
  await server?.stop();
});

/** Expects a 400 `bad-request` whose message matches `message`. */
function expect400(response: { status: number; body: any; text: string }, message: RegExp, what = '') {
  expect(response.status, `${what}: ${response.text}`).toBe(400);
  expect(response.body.error.code).toBe('bad-request');
  expect(response.body.error.message).toMatch(message);
}

/** Sends one raw HTTP/1.1 request (paths exactly as given, no client-side normalisation) and returns status and body. */
function raw(method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<{ status: number; body: any; text: string }> {
  const { hostname, port } = new URL(server.url);
  const head = Object.entries({ host: hostname, authorization: 'Bearer bad-input-token', 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${method} ${path} HTTP/1.1\r\n${head}\r\n${body}`));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
      const text = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      let parsed: any;
      try {
        parsed = JSON.parse(text);
      } catch {}
      resolve({ status, body: parsed, text });
    });
  });
}

describe('POST /v1/run', () => {
  test('a language version the sandbox does not run is a 400 naming `version`, not a 500', async () => {
    expect400(await api.post('/v1/run', { language: 'python', version: '2.7', code: 'print(1)' }), /version.*2\.7|2\.7.*version/);
  });

  test('the same file name twice is a 400 naming the field', async () => {
    const body = { language: 'python', files: [{ name: 'main.py', content: 'print(1)' }, { name: 'main.py', content: 'print(2)' }] };
    expect400(await api.post('/v1/run', body), /files\.1\.name.*twice/);
  });

  test.each([
    ['a file named "."', '.', /files\.0\.name/],
    ['a 300-character file name', 'a'.repeat(300), /files\.0\.name.*bytes/],
    ['2,000 path segments', `${'a/'.repeat(2000)}x`, /files\.0\.name/],
    ['a name with NUL', 'a\0b', /files\.0\.name.*NUL/],
  ])('%s in `files` is a 400 naming the field', async (_what, name, message) => {
    expect400(await api.post('/v1/run', { language: 'python', files: [{ name, content: 'print(1)' }] }), message);
  });

  test.each([
    ['an env value with NUL', { env: { A: 'x\0' } }, /env\.A/],
    ['an array where a string goes', { stdin: ['a'] }, /stdin/],
    ['a negative disk quota', { limits: { diskBytes: -1 } }, /limits\.diskBytes/],
    ['a fractional time limit', { limits: { timeMs: 1.5 } }, /limits\.timeMs/],
    ['a huge time limit', { limits: { timeMs: 1e300 } }, /limits\.timeMs/],
    ['an unknown limit', { limits: { cpu: 1 } }, /unknown field "cpu"/],
    ['a null where an object goes', { env: null }, /env/],
  ])('%s is a 400 naming the field', async (_what, extra, message) => {
    expect400(await api.post('/v1/run', { language: 'python', code: 'print(1)', ...extra }), message);
  });

  test('a time limit above the server\'s ceiling is a 400 saying the ceiling; at the ceiling it runs', async () => {
    expect400(await api.post('/v1/run', { language: 'python', code: 'print(1)', limits: { timeMs: 24 * 3600 * 1000 } }), /limits\.timeMs: at most 20000/);
    const ok = await api.post('/v1/run', { language: 'python', code: 'print(1)', limits: { timeMs: 20_000 } });
    expect(ok.body).toMatchObject({ ok: true, stdout: '1\n' });
  });

  test('a memory limit above the server\'s ceiling is a 400 saying the ceiling', async () => {
    expect400(await api.post('/v1/run', { language: 'python', code: 'print(1)', limits: { memoryBytes: 4 * 2 ** 30 } }), /limits\.memoryBytes: at most 536870912/);
  });

  test('/info reports the ceilings', async () => {
    expect((await api.get('/info')).body.service.maxLimits).toEqual({ timeMs: 20_000, memoryBytes: 512 * 2 ** 20, fileSizeBytes: 64 * 2 ** 20, diskBytes: 256 * 2 ** 20 });
  });

  test.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/octet-stream', { 'content-type': 'application/octet-stream' }],
    ['no content type', {}],
  ])('a JSON body sent as %s is a 415 saying the content type is wrong', async (_what, headers) => {
    for (const path of ['/v1/run', '/v1/run/stream']) {
      const response = await raw('POST', path, JSON.stringify({ language: 'python', code: 'print(1)' }), headers);
      expect(response.status, response.text).toBe(415);
      expect(response.body.error.code).toBe('unsupported-media-type');
      expect(response.body.error.message).toMatch(/application\/json/);
      expect(response.body.error.message).not.toMatch(/language/);
    }
  });
});

describe('sessions', () => {
  test.each([
    ['a 300-character name', 'a'.repeat(300), /bytes/],
    ['2,000 path segments', `${'a/'.repeat(2000)}x`, /bytes|deep/],
    ['"."', '%2E', /"\."/],
    ['".."', '%2E%2E', /"\.\."/],
    ['a name with NUL', 'a%00b', /NUL/],
  ])('uploading %s is a 400 naming the path, not a 500 or 404', async (_what, path, message) => {
    const id = await api.session('python');
    const response = await raw('PUT', `/v1/sessions/${id}/files/${path}`, 'x', { 'content-type': 'application/octet-stream' });
    expect400(response, message, path.slice(0, 20));
    expect(response.body.error.message).toMatch(/name/);
    expect((await api.get(`/v1/sessions/${id}/files`)).body).toEqual({ files: [] });
    await api.delete(`/v1/sessions/${id}`);
  });

  test('an entrypoint or a download path of 5,000 characters is a 400', async () => {
    const id = await api.session('python');
    expect400(await api.post(`/v1/sessions/${id}/run`, { entrypoint: 'a'.repeat(5000) }), /entrypoint.*bytes/);
    expect400(await raw('GET', `/v1/sessions/${id}/files/${'a'.repeat(5000)}`), /path.*bytes/);
    await api.delete(`/v1/sessions/${id}`);
  });

  test('a session run above the ceilings is a 400', async () => {
    const id = await api.session('python');
    await api.put(`/v1/sessions/${id}/files/main.py`, 'print(1)');
    expect400(await api.post(`/v1/sessions/${id}/run`, { entrypoint: 'main.py', limits: { timeMs: 3_600_000 } }), /limits\.timeMs: at most/);
    await api.delete(`/v1/sessions/${id}`);
  });

  test('a JSON body sent as text/plain to create or run a session is a 415', async () => {
    const created = await raw('POST', '/v1/sessions', JSON.stringify({ language: 'python' }), { 'content-type': 'text/plain' });
    expect(created.status, created.text).toBe(415);
    expect(created.body.error.message).toMatch(/application\/json/);
  });
});

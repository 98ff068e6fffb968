// The HTTP service end to end: a real `golem-exec serve` subprocess on loopback, real components, real HTTP.
// One server for the whole file (sandboxes are expensive to start); it requires one of two bearer tokens.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { client, ndjson, sse, startServer, type RunningServer } from './support/server.js';

let server: RunningServer;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startServer(['--token', 'alpha-token', '--token', 'beta-token', '--body-limit', '1M', '--idle-timeout', '0']);
  api = client(server.url, 'alpha-token');
});

afterAll(async () => {
  await server?.stop();
});

describe('abandoned requests', () => {
  test('a client that disconnects from a stream has its run stopped, freeing its slot', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/run/stream`, {
      method: 'POST',
      headers: { authorization: 'Bearer alpha-token', 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'python', code: 'print("spinning", flush=True)\nwhile True: pass', limits: { timeMs: 60_000 } }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read(); // the first event: the program is running
    controller.abort();
    // Without cancellation the run would hold its slot for a minute; poll (bounded) until it is released.
    let running = 1;
    for (let i = 0; i < 100 && running > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      running = (await client(server.url).get('/health')).body.running;
    }
    expect(running).toBe(0);
  });
});

describe('service endpoints', () => {
  test('/health answers without a token', async () => {
    const health = await client(server.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', slots: expect.any(Number), sessions: expect.any(Number) });
  });

  test('/info reports languages, limits and the service settings', async () => {
    const info = await api.get('/info');
    expect(info.status).toBe(200);
    expect(info.body.languages).toEqual(['javascript', 'python']);
    expect(info.body.limits.timeMs).toEqual(expect.any(String));
    expect(info.body.service).toMatchObject({ auth: 'bearer', bodyLimitBytes: 2 ** 20, idleTimeoutMs: 0 });
  });

  test('/openapi.json documents every route', async () => {
    const doc = await client(server.url).get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths).sort()).toEqual([
      '/health', '/info', '/openapi.json', '/v1/run', '/v1/run/stream', '/v1/sessions', '/v1/sessions/{id}',
      '/v1/sessions/{id}/eval', '/v1/sessions/{id}/files', '/v1/sessions/{id}/files/{path}', '/v1/sessions/{id}/run',
      '/v1/sessions/{id}/run/stream',
    ]);
    // Every operation has an operationId (client generators and tool converters need them), each one different.
    const operations = Object.values(doc.body.paths).flatMap((item: any) => Object.values(item)) as { operationId?: string }[];
    expect(operations.every((operation) => typeof operation.operationId === 'string')).toBe(true);
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(operations.length);
    expect(doc.body.servers).toEqual([{ url: '/', description: 'this server' }]);
    expect(doc.body.paths['/v1/sessions/{id}/files/{path}'].delete.operationId).toBe('deleteSessionFile');
    expect(doc.body.components.schemas.RunRequest.properties.language.enum).toEqual(['javascript', 'python']);
  });

  test('an unknown route is a JSON 404', async () => {
    const missing = await api.get('/v2/nothing');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: 'not-found', message: 'no route GET /v2/nothing' });
  });
});

describe('POST /v1/run', () => {
  test('runs Python and JavaScript', async () => {
    const python = await api.post('/v1/run', { language: 'python', code: 'import sys\nprint(sys.stdin.read().upper(), sys.argv[1:])', stdin: 'abc', args: ['x'] });
    expect(python.status).toBe(200);
    expect(python.body).toMatchObject({ ok: true, stdout: "ABC ['x']\n", stderr: '', exitCode: 0, error: null });
    const js = await api.post('/v1/run', {
      language: 'javascript',
      files: [{ name: 'lib.js', content: 'module.exports = process.env.WHO' }, { name: 'main.js', content: 'console.log("hi " + require("./lib"))' }],
      entry: 'main.js',
      env: { WHO: 'there' },
    });
    expect(js.body).toMatchObject({ ok: true, stdout: 'hi there\n', exitCode: 0 });
  });

  test('takes the language names ts / typescript / js / py; an unknown one is a 400 naming the field', async () => {
    const ts = await api.post('/v1/run', { language: 'ts', code: 'const x: number = 5;\nconsole.log(x as number)' });
    expect(ts.body).toMatchObject({ ok: true, stdout: '5\n', exitCode: 0 });
    const js = await api.post('/v1/run', { language: 'js', code: 'console.log(2)' });
    expect(js.body).toMatchObject({ ok: true, stdout: '2\n' });
    const bad = await api.post('/v1/run', { language: 'rust', code: '' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/language/);
  });

  test('a non-zero exit, an exception, a syntax error and a timeout are 200 results', async () => {
    const exit = await api.post('/v1/run', { language: 'javascript', code: 'console.log("out"); process.exit(3)' });
    expect(exit.status).toBe(200);
    expect(exit.body).toMatchObject({ ok: true, stdout: 'out\n', exitCode: 3, error: null });

    const thrown = await api.post('/v1/run', { language: 'python', code: 'print("before")\nraise ValueError("boom")' });
    expect(thrown.status).toBe(200);
    expect(thrown.body).toMatchObject({ ok: false, stdout: 'before\n', exitCode: 1, error: { tag: 'runtime-failed' } });
    expect(thrown.body.stderr).toContain('ValueError: boom');

    const syntax = await api.post('/v1/run', { language: 'javascript', code: 'let = = 1' });
    expect(syntax.status).toBe(200);
    expect(syntax.body).toMatchObject({ ok: false, error: { tag: 'compilation-failed' } });

    // A timeout keeps what the program printed before it was stopped.
    for (const [language, code] of [['javascript', 'console.log("before"); for (;;) {}'], ['python', 'print("before")\nwhile True: pass']]) {
      const timeout = await api.post('/v1/run', { language, code, limits: { timeMs: 1000 } });
      expect(timeout.status).toBe(200);
      expect(timeout.body).toMatchObject({ ok: false, stdout: 'before\n', error: { tag: 'timeout' } });
    }
  });

  test('bad input is a 400 whose message names what was wrong', async () => {
    const cases: [unknown, RegExp][] = [
      [{ language: 'ruby', code: 'puts 1' }, /language: expected one of javascript, js, typescript, ts, python, py/],
      [{ language: 'python' }, /exactly one of `code`.*or `files`/],
      [{ language: 'python', code: 'x', files: [{ name: 'a.py', content: '' }] }, /exactly one of `code`/],
      [{ language: 'python', code: 'x', timeout: 5 }, /unknown field "timeout"/],
      [{ language: 'python', code: 'x', limits: { timeMs: 0 } }, /limits\.timeMs: must be >= 1/],
      [{ language: 'python', code: 'x', env: { 'A=B': 'c' } }, /env/],
      [{ language: 'python', files: [{ name: '../escape.py', content: 'x' }] }, /files\.0\.name \("\.\.\/escape\.py"\): expected no "\.\." segment/],
      [{ language: 'python', files: [{ name: 'a.bin', content: '%%%', encoding: 'base64' }] }, /base64|a\.bin/],
    ];
    for (const [body, message] of cases) {
      const response = await api.post('/v1/run', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('bad-request');
      expect(response.body.error.message).toMatch(message);
    }
    const notJson = await api.post('/v1/run', '{"language": ', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    const wrongType = await api.post('/v1/run', 'print(1)', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
  });

  test('a body over the limit is a 413', async () => {
    const response = await api.post('/v1/run', { language: 'python', code: `x = "${'a'.repeat(2 ** 20 + 10)}"` });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('too-large');
  });
});

describe('POST /v1/run/stream', () => {
  const program = {
    language: 'python',
    code: 'import sys\nfor i in range(3):\n    print("line", i, flush=True)\nprint("warn", file=sys.stderr)\nprint("é" * 3)\nsys.exit(2)',
  };

  test('NDJSON by default: output events, then the result', async () => {
    const response = await api.post('/v1/run/stream', program);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const events = ndjson(response.text);
    const result = events.at(-1);
    expect(result).toMatchObject({ type: 'result', ok: true, exitCode: 2, stdout: 'line 0\nline 1\nline 2\néé\u00e9\n', stderr: 'warn\n' });
    expect(events.slice(0, -1).every((event) => event.type === 'stdout' || event.type === 'stderr')).toBe(true);
    const joined = (type: string) => events.filter((event) => event.type === type).map((event) => event.data).join('');
    expect(joined('stdout')).toBe(result.stdout);
    expect(joined('stderr')).toBe(result.stderr);
    // One event per line, as a terminal's line-buffered stdout would show it (not one per `print` argument).
    expect(events.filter((event) => event.type === 'stdout').map((event) => event.data)).toEqual(['line 0\n', 'line 1\n', 'line 2\n', 'ééé\n']);
  });

  test('Server-Sent Events with Accept: text/event-stream; a failure is the result event', async () => {
    const response = await api.post('/v1/run/stream', { language: 'javascript', code: 'console.log("a"); throw new Error("late")' },
      { accept: 'text/event-stream' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = sse(response.text);
    expect(events[0]).toEqual({ event: 'stdout', data: { type: 'stdout', data: 'a\n' } });
    const last = events.at(-1)!;
    expect(last.event).toBe('result');
    expect(last.data).toMatchObject({ ok: false, stdout: 'a\n', error: { tag: 'runtime-failed' } });
    expect(last.data.stderr).toContain('late');
  });

  test('bad input is still a plain 400', async () => {
    const response = await api.post('/v1/run/stream', { language: 'python', files: [{ name: '/abs.py', content: '' }] });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/absolute/);
  });
});

describe('sessions', () => {
  test('create, upload (raw and JSON), run, list, download, delete', async () => {
    const id = await api.session('python');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await api.get(`/v1/sessions/${id}`)).body).toMatchObject({ id, language: 'python' });

    expect((await api.put(`/v1/sessions/${id}/files/main.py`, 'import json\nprint(open("data/in.bin", "rb").read().hex())\n'
      + 'open("out/result.json", "w").write(json.dumps({"n": 42}))', { 'content-type': 'text/plain' })).status).toBe(204);
    const bytes = new Uint8Array([0, 1, 0xfe, 0xff]);
    expect((await api.put(`/v1/sessions/${id}/files/data/in.bin`, bytes, { 'content-type': 'application/octet-stream' })).status).toBe(204);
    expect((await api.put(`/v1/sessions/${id}/files/out/.keep`, { content: '' })).status).toBe(204);
    expect((await api.put(`/v1/sessions/${id}/files/note.txt`, { content: '6869', encoding: 'hex' })).status).toBe(204);

    const run = await api.post(`/v1/sessions/${id}/run`, { entrypoint: 'main.py' });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ ok: true, stdout: '0001feff\n', exitCode: 0 });

    expect((await api.get(`/v1/sessions/${id}/files`)).body).toEqual({ files: ['data/in.bin', 'main.py', 'note.txt', 'out/.keep', 'out/result.json'] });
    expect((await api.get(`/v1/sessions/${id}/files?dir=out`)).body).toEqual({ files: ['.keep', 'result.json'] });
    const downloaded = await api.get(`/v1/sessions/${id}/files/data/in.bin`);
    expect(downloaded.headers.get('content-type')).toBe('application/octet-stream');
    expect([...downloaded.raw]).toEqual([...bytes]);
    expect((await api.get(`/v1/sessions/${id}/files/out/result.json`)).text).toBe('{"n": 42}');
    expect((await api.get(`/v1/sessions/${id}/files/note.txt`)).text).toBe('hi');

    expect((await api.delete(`/v1/sessions/${id}/files/note.txt`)).status).toBe(204);
    expect((await api.get(`/v1/sessions/${id}/files/note.txt`)).status).toBe(404);
    expect((await api.delete(`/v1/sessions/${id}/files/note.txt`)).status).toBe(404);
    expect((await api.delete(`/v1/sessions/${id}/files/out`)).status).toBe(404);
    expect((await api.delete(`/v1/sessions/${id}/files/..%2F..%2Fetc%2Fhostname`)).status).toBe(400);
    expect((await api.delete(`/v1/sessions/${id}/files/`)).status).toBe(400);
    const streamed = await api.post(`/v1/sessions/${id}/run/stream`, { entrypoint: 'main.py' });
    expect(ndjson(streamed.text).at(-1)).toMatchObject({ type: 'result', ok: true, stdout: '0001feff\n' });

    expect((await api.delete(`/v1/sessions/${id}`)).status).toBe(204);
    expect((await api.get(`/v1/sessions/${id}/files`)).status).toBe(404);
    expect((await api.delete(`/v1/sessions/${id}`)).status).toBe(404);
  });

  test('errors: unknown session 404, missing file 404, bad path 400, bad JSON upload 400, program failure 200', async () => {
    const id = await api.session('javascript');
    expect((await api.post('/v1/sessions/0123456789abcdef0123456789abcdef/run', { entrypoint: 'a.js' })).status).toBe(404);
    expect((await api.get('/v1/sessions/not-an-id/files')).status).toBe(404);
    expect((await api.post('/v1/sessions', { language: 'cobol' })).status).toBe(400);

    const missing = await api.get(`/v1/sessions/${id}/files/absent.txt`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('absent.txt');
    const escape = await api.put(`/v1/sessions/${id}/files/..%2F..%2Fetc%2Fpasswd`, 'x');
    expect(escape.status).toBe(400);
    expect(escape.body.error.message).toMatch(/"\.\." segment/);
    const badEncoding = await api.put(`/v1/sessions/${id}/files/a.txt`, { content: 'x', encoding: 'rot13' });
    expect(badEncoding.status).toBe(400);
    expect(badEncoding.body.error.message).toMatch(/encoding: expected one of utf8, base64, hex/);
    expect((await api.post(`/v1/sessions/${id}/run`, { file: 'a.js' })).status).toBe(400);

    await api.put(`/v1/sessions/${id}/files/fail.js`, 'console.log("partial"); null.x');
    const failed = await api.post(`/v1/sessions/${id}/run`, { entrypoint: 'fail.js' });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ ok: false, stdout: 'partial\n', error: { tag: 'runtime-failed' } });
    await api.put(`/v1/sessions/${id}/files/spin.js`, 'console.log("partial"); for (;;) {}');
    const stopped = await api.post(`/v1/sessions/${id}/run`, { entrypoint: 'spin.js', limits: { timeMs: 500 } });
    expect(stopped.body).toMatchObject({ ok: false, stdout: 'partial\n', error: { tag: 'timeout' } });
    await api.delete(`/v1/sessions/${id}`);
  });

  test('requests to one session run in arrival order (pipelined on one connection)', async () => {
    const id = await api.session('javascript');
    await api.put(`/v1/sessions/${id}/files/append.js`,
      'const fs = require("fs"); fs.appendFileSync("log.txt", fs.readFileSync("value.txt", "utf8") + "\\n")');
    // Upload value i, run append.js: if any request overtook another, the log would not read 0..n-1 in order.
    const n = 6;
    const requests: string[] = [];
    const { hostname: host, port } = new URL(server.url);
    for (let i = 0; i < n; i++) {
      requests.push(rawRequest('PUT', `/v1/sessions/${id}/files/value.txt`, String(i), 'application/octet-stream', host));
      requests.push(rawRequest('POST', `/v1/sessions/${id}/run`, JSON.stringify({ entrypoint: 'append.js' }), 'application/json', host, i === n - 1));
    }
    const answers = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), host, () => socket.write(requests.join('')));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answers.match(/HTTP\/1\.1 \d{3}/g)).toEqual(Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 'HTTP/1.1 200' : 'HTTP/1.1 204')));
    expect((await api.get(`/v1/sessions/${id}/files/log.txt`)).text).toBe(Array.from({ length: n }, (_, i) => `${i}\n`).join(''));
    await api.delete(`/v1/sessions/${id}`);
  });

  test('sessions are isolated from each other and run in parallel', async () => {
    const [a, b] = await Promise.all([api.session('python'), api.session('python')]);
    await Promise.all([
      api.put(`/v1/sessions/${a}/files/secret.txt`, 'from a'),
      api.put(`/v1/sessions/${b}/files/secret.txt`, 'from b'),
      api.put(`/v1/sessions/${a}/files/peek.py`, 'import os\nprint(open("secret.txt").read())\nprint(sorted(os.listdir("..")) if os.path.isdir("..") else [])'),
    ]);
    const [runA, listB] = await Promise.all([
      api.post(`/v1/sessions/${a}/run`, { entrypoint: 'peek.py' }),
      api.get(`/v1/sessions/${b}/files`),
    ]);
    expect(runA.body.stdout.split('\n')[0]).toBe('from a');
    expect(runA.body.stdout).not.toContain(b);
    expect(listB.body).toEqual({ files: ['secret.txt'] });
    expect((await api.get(`/v1/sessions/${b}/files/secret.txt`)).text).toBe('from b');
    await Promise.all([api.delete(`/v1/sessions/${a}`), api.delete(`/v1/sessions/${b}`)]);
  });
});

describe('bearer tokens', () => {
  test('a missing or wrong token is a 401', async () => {
    const none = await client(server.url).post('/v1/run', { language: 'python', code: 'print(1)' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await client(server.url, 'wrong').get('/info')).status).toBe(401);
    expect((await client(server.url).get('/v1/sessions/x/files')).status).toBe(401);
    expect((await client(server.url).get('/somewhere/else')).status).toBe(401);
  });

  test("a session belongs to the token that created it: another token sees a 404", async () => {
    const id = await api.session('javascript');
    const other = client(server.url, 'beta-token');
    expect((await other.get(`/v1/sessions/${id}/files`)).status).toBe(404);
    expect((await other.delete(`/v1/sessions/${id}`)).status).toBe(404);
    expect((await api.get(`/v1/sessions/${id}/files`)).status).toBe(200);
    await api.delete(`/v1/sessions/${id}`);
  });
});

function rawRequest(method: string, path: string, body: string, type: string, host: string, close = false): string {
  const length = Buffer.byteLength(body);
  return `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer alpha-token\r\nContent-Type: ${type}\r\n`
    + `Content-Length: ${length}\r\n${close ? 'Connection: close\r\n' : ''}\r\n${body}`;
}

describe('POST /v1/sessions/{id}/eval', () => {
  test('the transcript: upload a CSV, evaluate against REPL state, write a file, download it, close', async () => {
    const id = await api.session('python');
    expect((await api.put(`/v1/sessions/${id}/files/d.csv`, 'a,b\n1,2\n3,4\n')).status).toBe(204);
    const load = await api.post(`/v1/sessions/${id}/eval`, { code: 'import csv; rows = list(csv.reader(open("d.csv")))' });
    expect(load.status).toBe(200);
    expect(load.body).toEqual({ ok: true, stdout: '', stderr: '', value: null, stateReset: false, timeMs: expect.any(Number), memoryBytes: expect.any(Number), error: null });
    expect((await api.post(`/v1/sessions/${id}/eval`, { code: 'len(rows)' })).body).toMatchObject({ ok: true, value: '3' });
    const write = await api.post(`/v1/sessions/${id}/eval`, { code: 'print("writing"); open("out.txt", "w").write(str(len(rows)))' });
    expect(write.body).toMatchObject({ ok: true, stdout: 'writing\n', value: '1' });
    expect((await api.get(`/v1/sessions/${id}/files/out.txt`)).text).toBe('3');
    expect((await api.delete(`/v1/sessions/${id}`)).status).toBe(204);
    expect((await api.post(`/v1/sessions/${id}/eval`, { code: '1' })).status).toBe(404);
  });

  test('an exception is a 200 with the error and the output; a timeout resets the state, which the next result says', async () => {
    const id = await api.session('javascript');
    await api.post(`/v1/sessions/${id}/eval`, { code: 'let n = 41' });
    const thrown = await api.post(`/v1/sessions/${id}/eval`, { code: 'console.log("before"); n++; throw new RangeError("boom")' });
    expect(thrown.status).toBe(200);
    expect(thrown.body).toMatchObject({ ok: false, stdout: 'before\n', value: null, error: { tag: 'runtime-failed' } });
    expect(thrown.body.stderr).toContain('RangeError: boom');
    expect(thrown.body.error.message).toBe('the program failed: RangeError: boom');
    expect((await api.post(`/v1/sessions/${id}/eval`, { code: 'n' })).body).toMatchObject({ ok: true, value: '42', stateReset: false });
    const stopped = await api.post(`/v1/sessions/${id}/eval`, { code: 'console.log("before"); for (;;) {}', limits: { timeMs: 500 } });
    expect(stopped.body).toMatchObject({ ok: false, stdout: 'before\n', error: { tag: 'timeout' } });
    expect((await api.post(`/v1/sessions/${id}/eval`, { code: 'typeof n' })).body).toMatchObject({ ok: true, value: "'undefined'", stateReset: true });
    expect((await api.post(`/v1/sessions/${id}/eval`, { code: '1 + 1' })).body).toMatchObject({ ok: true, value: '2', stateReset: false });
  });

  test('a body without code, or with a field of the wrong type, is a 400 naming the field', async () => {
    const id = await api.session('python');
    const missing = await api.post(`/v1/sessions/${id}/eval`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/code/);
    const wrong = await api.post(`/v1/sessions/${id}/eval`, { code: 42 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/code/);
  });

  test("GET /v1/sessions lists the caller's sessions only", async () => {
    const mine = await api.session('python');
    const theirs = await client(server.url, 'beta-token').session('javascript');
    const listed = (await api.get('/v1/sessions')).body.sessions.map((s: { id: string }) => s.id);
    expect(listed).toContain(mine);
    expect(listed).not.toContain(theirs);
    const other = (await client(server.url, 'beta-token').get('/v1/sessions')).body.sessions;
    expect(other.map((s: { id: string }) => s.id)).toContain(theirs);
    expect(other.map((s: { id: string }) => s.id)).not.toContain(mine);
    expect(other.find((s: { id: string }) => s.id === theirs)).toEqual({ id: theirs, language: 'javascript', createdAt: expect.any(String), lastUsedAt: expect.any(String) });
    await api.delete(`/v1/sessions/${mine}`);
    expect((await api.get('/v1/sessions')).body.sessions.map((s: { id: string }) => s.id)).not.toContain(mine);
  });

  test("another token's session is not found", async () => {
    const id = await api.session('python');
    await api.post(`/v1/sessions/${id}/eval`, { code: 'secret = "alpha"' });
    const other = client(server.url, 'beta-token');
    expect((await other.post(`/v1/sessions/${id}/eval`, { code: 'secret' })).status).toBe(404);
  });
});

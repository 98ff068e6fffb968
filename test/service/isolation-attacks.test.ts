// Issue 13 over HTTP: the leaks of test/host/isolation-attacks.test.ts across two bearer tokens of one real
// `golem-exec serve`. With `--concurrency 1` the service's Executor keeps one warm sandbox per language, so token A's
// and token B's stateless runs share an instance: A plants, B (the victim) runs with a secret, A reads back. A server
// per attack, so that what one attack leaves behind cannot explain another's failure.
import { describe, expect, test } from 'vitest';
import { LEAKS, newSecret, type Leak } from '../support/attacks.js';
import { ndjson, twoTokenServerPerTest } from './support/server.js';

const CAP = 1048576;
const SLACK = 200;

const start = twoTokenServerPerTest();

/** The answer of /v1/run as the test compares it. */
function outcome(body: any) {
  return body.ok
    ? { stdout: body.stdout, stderr: body.stderr, exitCode: body.exitCode }
    : { error: body.error?.tag ?? body.error?.code, stdout: body.stdout, stderr: body.stderr, message: body.error?.message };
}

async function expectPlanted(leak: Leak, answer: { status: number; body: any }) {
  expect(answer.status).toBe(200);
  if (leak.plantOutcome === 'runtime-failed') expect(answer.body).toMatchObject({ ok: false, error: { tag: 'runtime-failed' } });
  else if (leak.plantOutcome !== null) expect(outcome(answer.body)).toEqual({ stdout: leak.plantOutcome, stderr: '', exitCode: 0 });
  else expect(answer.body.ok).toBe(true);
}

describe.each(LEAKS.filter((leak) => leak.overHttp))('$id ($origin) across two tokens: $title', (leak) => {
  test('token A plants, token B runs with a secret, token A reads: nothing of B reaches A', async () => {
    const { attacker, victim } = await start();
    const { language } = leak;
    const secret = newSecret(leak.id);
    await expectPlanted(leak, await attacker.post('/v1/run', { language, code: leak.plant }));

    const run = leak.victim(secret);
    const answer = await victim.post('/v1/run', { language, ...(run.files ? { files: run.files } : { code: run.code }), env: run.env, stdin: run.stdin });
    expect(answer.status).toBe(200);
    expect(outcome(answer.body)).toEqual(leak.expected(secret));

    if (leak.read) {
      const read = await attacker.post('/v1/run', { language, code: leak.read });
      expect(read.status).toBe(200);
      expect(read.text).not.toContain(secret);
    }
  });
});

describe('across two tokens, streamed', () => {
  test("python: a hook on the guest's output class captures token B's streamed output", async () => {
    const leak = LEAKS.find((l) => l.id === 'py-output-sink')!;
    const { attacker, victim } = await start();
    const secret = newSecret('stream');
    await expectPlanted(leak, await attacker.post('/v1/run', { language: 'python', code: leak.plant }));
    const answer = await victim.post('/v1/run/stream', { language: 'python', code: leak.victim(secret).code, env: leak.victim(secret).env });
    expect(answer.status).toBe(200);
    const events = ndjson(answer.text);
    expect(events.filter((e) => e.type === 'stdout').map((e) => e.data).join('')).toBe(`${secret}\n`);
    expect(events.at(-1)).toMatchObject({ type: 'result', ok: true, stdout: `${secret}\n`, stderr: '' });
    const read = await attacker.post('/v1/run', { language: 'python', code: leak.read });
    expect(read.text).not.toContain(secret);
  });

  test('javascript: a promise chain left running by token A tampers with token B\'s streamed JSON', async () => {
    const leak = LEAKS.find((l) => l.id === 'js-promise-chain-after-exit')!;
    const { attacker, victim } = await start();
    const secret = newSecret('stream');
    await expectPlanted(leak, await attacker.post('/v1/run', { language: 'javascript', code: leak.plant }));
    const answer = await victim.post('/v1/run/stream', { language: 'javascript', code: leak.victim(secret).code, env: leak.victim(secret).env });
    expect(answer.status).toBe(200);
    const events = ndjson(answer.text);
    expect(events.at(-1)).toMatchObject({ type: 'result', ok: true, stdout: '{"ok":true}\n', stderr: '' });
    const read = await attacker.post('/v1/run', { language: 'javascript', code: leak.read });
    expect(read.text).not.toContain(secret);
  });
});

describe('output caps over HTTP', () => {
  test('python: /v1/run/stream with os.write(1, ...) delivers at most the cap, then the marker', async () => {
    const { attacker } = await start();
    const code = 'import os\ndata = b"x" * 5_000_000\nn = 0\nwhile n < len(data):\n    n += os.write(1, data[n:])\n';
    const answer = await attacker.post('/v1/run/stream', { language: 'python', code });
    expect(answer.status).toBe(200);
    const stdout = ndjson(answer.text).filter((e) => e.type === 'stdout').map((e) => e.data).join('');
    expect(Buffer.byteLength(stdout)).toBeLessThanOrEqual(CAP + SLACK);
    expect(stdout).toContain(`[golem-exec: stdout truncated after ${CAP} bytes]`);
  });

  test('python: /v1/run after sys.stdout.buffer.limit = 10**10 answers at most the cap, then the marker', async () => {
    const { attacker } = await start();
    const code = 'import sys\nb = sys.stdout.buffer\ngetattr(b, "raw", b).limit = 10**10\nsys.stdout.write("x" * 5_000_000)\n';
    const answer = await attacker.post('/v1/run', { language: 'python', code });
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(true);
    expect(Buffer.byteLength(answer.body.stdout)).toBeLessThanOrEqual(CAP + SLACK);
    expect(answer.body.stdout.endsWith(`[golem-exec: stdout truncated after ${CAP} bytes]\n`)).toBe(true);
  });
});

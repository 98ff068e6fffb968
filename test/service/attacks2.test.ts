// Attacks on today's service changes (REPL state over HTTP, sessions, the host WASI) by a hostile client with its own
// bearer token against another token's sessions and runs, through a real `golem-exec serve` subprocess.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, test } from 'vitest';
import { ATTACKER, VICTIM, cliCommand, client, twoTokenServerPerTest } from './support/server.js';

const start = twoTokenServerPerTest();

/** Stops what a test started itself (a server with its own flags or fd limit). */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/**
 * `golem-exec serve` with both tokens and extra flags, optionally under an fd limit (`prlimit`, so that the attack
 * below costs seconds whatever the machine's own limit is; a larger limit only makes it take longer).
 */
async function startServerWith(args: string[], nofile?: number) {
  const { command, args: argv } = cliCommand(['serve', '--port', '0', '--idle-timeout', '0', ...args]);
  const [cmd, ...rest] = nofile === undefined ? [command, ...argv] : ['prlimit', `--nofile=${nofile}:${nofile}`, '--', command, ...argv];
  const child = spawn(cmd!, rest, { env: { ...process.env, GOLEM_EXEC_TOKEN: `${ATTACKER},${VICTIM}` }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  stops.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${errors}`)));
  });
  return { attacker: client(url, ATTACKER), victim: client(url, VICTIM) };
}

describe('REPL state across tokens', () => {
  test('another token cannot evaluate in, or read the REPL state of, a session it does not own', async () => {
    const { attacker, victim } = await start();
    const id = await victim.session('python');
    expect((await victim.post(`/v1/sessions/${id}/eval`, { code: 'secret = "victim-secret"' })).body.ok).toBe(true);
    const stolen = await attacker.post(`/v1/sessions/${id}/eval`, { code: 'secret' });
    expect(stolen.status).toBe(404);
    expect(stolen.text).not.toContain('victim-secret');
    expect((await victim.post(`/v1/sessions/${id}/eval`, { code: 'secret' })).body.value).toBe("'victim-secret'");
  });

  test("another token's sessions evicting the victim's sandbox do not silently lose its REPL state", async () => {
    // One live sandbox: the attacker's session needs it, so the victim's idle one is stopped (files kept). Its REPL
    // state lived in that sandbox's memory: either it survives, or the victim's next evaluation must say stateReset.
    const { attacker, victim } = await startServerWith(['--concurrency', '1', '--max-live-sessions', '1']);
    const mine = await victim.session('python');
    expect((await victim.post(`/v1/sessions/${mine}/eval`, { code: 'total = 41' })).body.ok).toBe(true);
    const theirs = await attacker.session('python');
    expect((await attacker.post(`/v1/sessions/${theirs}/eval`, { code: '1' })).body.ok).toBe(true);
    const next = await victim.post(`/v1/sessions/${mine}/eval`, { code: 'total + 1' });
    expect(next.status).toBe(200);
    // The victim's state is gone (NameError) yet the answer does not say so: stateReset must be true when it is lost.
    expect(next.body.ok ? { value: next.body.value } : { stateReset: next.body.stateReset, stderr: next.body.stderr })
      .toEqual(next.body.ok ? { value: '42' } : { stateReset: true, stderr: next.body.stderr });
    if (!next.body.ok) {
      const after = await victim.post(`/v1/sessions/${mine}/eval`, { code: '2' });
      expect(after.body).toMatchObject({ ok: true, value: '2', stateReset: true });
    }
  });
});

describe('host resources', () => {
  test("one token's evaluation cannot exhaust the service's file descriptors for another token", async () => {
    // Every file a program opens is a host fd of the service process, kept across evaluations (the REPL state holds
    // it). Without a per-sandbox cap, one session takes them all: the victim's runs then fail with EMFILE.
    const { attacker, victim } = await startServerWith(['--concurrency', '2'], 4096);
    const id = await attacker.session('python');
    expect((await attacker.put(`/v1/sessions/${id}/files/f.txt`, "x")).status).toBeLessThan(300);
    const hoard = await attacker.post(`/v1/sessions/${id}/eval`, {
      code: 'import os\nfds = []\ntry:\n    while len(fds) < 100000: fds.append(os.open("f.txt", os.O_RDONLY))\nexcept OSError:\n    pass\nlen(fds)',
      limits: { timeMs: 5_000 },
    });
    expect({ status: hoard.status, ok: hoard.body?.ok, error: hoard.body?.error ?? null }).toEqual({ status: 200, ok: true, error: null });
    const run = await victim.post('/v1/run', { language: 'python', code: 'open("o.txt", "w").write("hi")\nprint(open("o.txt").read())' });
    expect({ status: run.status, ok: run.body?.ok, stdout: run.body?.stdout, error: run.body?.error })
      .toEqual({ status: 200, ok: true, stdout: 'hi\n', error: null });
    const session = await victim.post('/v1/sessions', { language: 'javascript' });
    expect(session.status).toBe(201);
  }, 180_000);
});

// Issue 13, through the library: nothing a run does may survive into the next run of the same sandbox.
//
// An adaptive attacker shares a sandbox with a victim: a pool of ONE warm instance (`poolSize: 1`, so consecutive
// stateless runs land on the same instance; `fresh: false` is the default and is passed explicitly), or one session
// (whose later runs must keep only its files and working directory). The attacker plants a hook or stash, the victim
// runs with a secret in its environment, stdin, source or files, then the attacker reads back. The secret must never
// reach the attacker, and the victim must get exactly what an untouched sandbox gives it. See test/support/attacks.ts
// for the programs.
import { describe, expect, it } from 'vitest';
import { ExecError, Executor, type Language, type RunResult, type Session } from '../../build/host/index.js';
import { LEAKS, entryName, newSecret, type Leak, type Victim } from '../support/attacks.js';

/** What a run gave, whether it ended by itself or was rejected: enough to compare and to print when it differs. */
async function outcome(pending: Promise<RunResult>) {
  try {
    const result = await pending;
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    return { error: error.tag, stdout: error.stdout ?? '', stderr: error.stderr ?? '', message: error.message };
  }
}

/** Everything the attacker's program got to print (stdout and stderr, success or failure). */
async function attackerSees(pending: Promise<RunResult>): Promise<string> {
  const seen = await outcome(pending);
  return `${seen.stdout}\n${seen.stderr}`;
}

async function expectPlanted(leak: Leak, pending: Promise<RunResult>) {
  const planted = await outcome(pending);
  if (leak.plantOutcome === 'runtime-failed') expect(planted).toMatchObject({ error: 'runtime-failed' });
  else if (leak.plantOutcome !== null) expect(planted).toEqual({ stdout: leak.plantOutcome, stderr: '', exitCode: 0 });
  else expect(planted).toMatchObject({ exitCode: 0 });
}

describe.each(LEAKS)('$id ($origin): $title', (leak) => {
  const { language } = leak;

  it('stateless runs on a pool of one warm instance (fresh: false)', async () => {
    await using exec = new Executor({ poolSize: 1 });
    const secret = newSecret(leak.id);
    await expectPlanted(leak, exec.run({ language, code: leak.plant, fresh: false }));

    const victim = leak.victim(secret);
    const seen = await outcome(exec.run({ language, ...victimRun(victim), fresh: false }));
    expect(seen).toEqual(leak.expected(secret));

    if (leak.read) {
      const read = await attackerSees(exec.run({ language, code: leak.read, fresh: false }));
      expect(read).not.toContain(secret);
    }
  });
});

// The no-setup leaks (a cache of earlier runs) are left out here: a session's earlier programs are its own files.
describe.each(LEAKS.filter((leak) => leak.inSession))('$id ($origin) in a session: $title', (leak) => {
  const { language } = leak;

  it('runs of one session (sessions keep only their files and working directory)', async () => {
    await using exec = new Executor({ poolSize: 1 });
    await using session = await exec.session({ language });
    const secret = newSecret(leak.id);
    await expectPlanted(leak, runInSession(session, language, 'plant', { code: leak.plant }));

    const seen = await outcome(runInSession(session, language, 'victim', leak.victim(secret)));
    expect(seen).toEqual(leak.expected(secret));

    if (leak.read) {
      const read = await attackerSees(runInSession(session, language, 'read', { code: leak.read }));
      expect(read).not.toContain(secret);
    }
  });
});

/** The victim as stateless-run options: its code or files, env and stdin. */
function victimRun(victim: Victim) {
  const { code, files, env, stdin } = victim;
  return { ...(files ? { files } : { code }), ...(env ? { env } : {}), ...(stdin !== undefined ? { stdin } : {}) };
}

/** Uploads the program (one source, or files whose first is the entry) and runs it in the session. */
async function runInSession(session: Session, language: Language, step: string, program: Victim): Promise<RunResult> {
  let entry: string;
  if (program.files) {
    for (const file of program.files) await session.upload(file);
    entry = program.files[0]!.name;
  } else {
    entry = entryName(language, step);
    await session.upload(entry, program.code!);
  }
  return session.run(entry, { ...(program.env ? { env: program.env } : {}), ...(program.stdin !== undefined ? { stdin: program.stdin } : {}) });
}

describe('randomness is not shared or repeated between runs (guard for a snapshot-based fix)', () => {
  // A fix that starts every run from one post-initialisation snapshot must still give each run its own random state:
  // the same snapshot restored twice would hand out the same "random" numbers (tokens, temp names) every run. The
  // seeded generators (Python's random, JS Math.random) are checked on their own: UUIDs come from WASI random anyway.
  const draw: Record<Language, string> = {
    python: 'import random, uuid\nprint(random.random(), uuid.uuid4())',
    javascript: "console.log(Math.random(), require('crypto').randomUUID())",
  };
  const parse = (stdout: string) => {
    expect(stdout).toMatch(/^0\.\d+ [0-9a-f-]{36}\n$/);
    const [number, uuid] = stdout.trim().split(' ');
    return { number, uuid };
  };
  const distinct = (outputs: string[]) => {
    const draws = outputs.map(parse);
    expect(new Set(draws.map((d) => d.number)).size).toBe(draws.length);
    expect(new Set(draws.map((d) => d.uuid)).size).toBe(draws.length);
  };

  it.each(['python', 'javascript'] as const)('%s: consecutive stateless runs of one instance draw different values', async (language) => {
    await using exec = new Executor({ poolSize: 1 });
    const outputs = [];
    for (let i = 0; i < 3; i++) outputs.push((await exec.run({ language, code: draw[language] })).stdout);
    distinct(outputs);
  });

  it.each(['python', 'javascript'] as const)('%s: consecutive runs of one session draw different values', async (language) => {
    await using exec = new Executor({ poolSize: 1 });
    await using session = await exec.session({ language });
    const entry = entryName(language, 'draw');
    await session.upload(entry, draw[language]);
    const outputs = [];
    for (let i = 0; i < 3; i++) outputs.push((await session.run(entry)).stdout);
    distinct(outputs);
  });

  it.each(['python', 'javascript'] as const)('%s: two sessions started alike draw different values', async (language) => {
    await using exec = new Executor({ poolSize: 1 });
    const outputs = [];
    for (let i = 0; i < 2; i++) {
      await using session = await exec.session({ language });
      const entry = entryName(language, 'draw');
      await session.upload(entry, draw[language]);
      outputs.push((await session.run(entry)).stdout);
    }
    distinct(outputs);
  });
});

describe('pending callbacks do not outlive their run (guard: passes on issue 13\'s code)', () => {
  it('a timer, an immediate and a microtask scheduled before process.exit(0) do not patch the next run', async () => {
    await using exec = new Executor({ poolSize: 1 });
    const patch = (tag: string) => `() => { const s = JSON.stringify; JSON.stringify = (v) => s(v) + ' [${tag}]'; }`;
    const plant = `setTimeout(${patch('timer')}, 0);\nsetImmediate(${patch('immediate')});\nqueueMicrotask(${patch('microtask')});\nsetInterval(${patch('interval')}, 1);\nconsole.log('planted');\nprocess.exit(0);`;
    expect((await exec.run({ language: 'javascript', code: plant })).stdout).toBe('planted\n');
    const victim = await exec.run({ language: 'javascript', code: 'setTimeout(() => console.log(JSON.stringify({ ok: true })), 5);' });
    expect(victim).toMatchObject({ stdout: '{"ok":true}\n', stderr: '', exitCode: 0 });
  });
});

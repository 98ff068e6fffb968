// Session.eval: REPL state through the library (real components in worker threads, the host's instance reset).
import { afterAll, describe, expect, it } from 'vitest';
import { ExecError, Executor, OptionError, type Language } from '../../build/host/index.js';

const exec = new Executor({ poolSize: 1 });
afterAll(() => exec.close());

const text = (data: Uint8Array) => Buffer.from(data).toString();

/** Per language: code that defines `secret`, reads it back (its value, or what says it is undefined). */
const SNIPPETS: Record<Language, { define: string; read: string; absent: RegExp; spin: string; entry: string; probe: string; sideEffect: string; sideEffectSeen: string }> = {
  python: {
    define: 'secret = "s3"', read: 'secret', absent: /NameError: name 'secret' is not defined/, spin: 'while True: pass',
    entry: 'probe.py', probe: 'print("secret" in globals())',
    // A run that changes a module every evaluation can import: the reset after the run takes it back.
    sideEffect: 'import json\njson.leaked = True\nsecret = "from the run"\nprint("ran")', sideEffectSeen: 'import json; hasattr(json, "leaked"), secret',
  },
  javascript: {
    define: 'const secret = "s3"', read: 'secret', absent: /ReferenceError: secret is not defined/, spin: 'for (;;) {}',
    entry: 'probe.js', probe: 'console.log(typeof secret)',
    sideEffect: 'globalThis.leaked = true\nglobalThis.secret = "from the run"\nJSON.leaked = true\nconsole.log("ran")', sideEffectSeen: '[typeof leaked, "leaked" in JSON, secret]',
  },
};

describe.each(['python', 'javascript'] as const)('%s REPL state', (language) => {
  const s = SNIPPETS[language];

  it('the transcript: a CSV uploaded, read into a name, its length as the value, a file written and downloaded', async () => {
    await using session = await exec.session({ language });
    await session.upload('d.csv', 'a,b\n1,2\n3,4\n');
    const load = language === 'python'
      ? 'import csv; rows = list(csv.reader(open("d.csv")))'
      : 'const rows = require("fs").readFileSync("d.csv", "utf8").trim().split("\\n")';
    expect(await session.eval(load)).toEqual({ stdout: '', stderr: '', value: null, stateReset: false, timeMs: expect.any(Number), memoryBytes: expect.any(Number) });
    expect((await session.eval(language === 'python' ? 'len(rows)' : 'rows.length')).value).toBe('3');
    await session.eval(language === 'python' ? 'print("saving"); open("n.txt", "w").write(str(len(rows)))' : 'console.log("saving"); require("fs").writeFileSync("n.txt", String(rows.length))')
      .then((result) => expect(result.stdout).toBe('saving\n'));
    expect(text(await session.download('n.txt'))).toBe('3');
  });

  it('survives runs, uploads and failed evaluations; runs neither see it nor change it', async () => {
    await using session = await exec.session({ language });
    await session.eval(s.define);
    await session.upload(s.entry, s.probe);
    // The run does not see the REPL's names ...
    expect((await session.run(s.entry)).stdout).toBe(language === 'python' ? 'False\n' : 'undefined\n');
    // ... and what a run changes is reset after it, so the REPL does not see that either.
    await session.upload('side.' + (language === 'python' ? 'py' : 'js'), s.sideEffect);
    expect((await session.run('side.' + (language === 'python' ? 'py' : 'js'))).stdout).toBe('ran\n');
    expect((await session.eval(s.sideEffectSeen)).value).toBe(language === 'python' ? "(False, 's3')" : "[ 'undefined', false, 's3' ]");
    // A failed evaluation keeps what ran before the failure, as a REPL does.
    const failure = await session.eval(language === 'python' ? 'more = 1\nraise ValueError("boom")' : 'var more = 1; throw new RangeError("boom")').catch((e) => e);
    expect(failure).toBeInstanceOf(ExecError);
    expect(failure.tag).toBe('runtime-failed');
    expect(failure.stderr).toContain(language === 'python' ? 'ValueError: boom' : 'RangeError: boom');
    // The message names the error (its line of the traceback / stack), not only that there was one.
    expect(failure.message).toBe(language === 'python' ? 'the program failed: ValueError: boom' : 'the program failed: RangeError: boom');
    expect((await session.eval(language === 'python' ? '(secret, more)' : '[secret, more]')).value).toBe(language === 'python' ? "('s3', 1)" : "[ 's3', 1 ]");
  });

  it('belongs to its session: another session of the same executor does not see it', async () => {
    await using a = await exec.session({ language });
    await using b = await exec.session({ language });
    await a.eval(s.define);
    const seen = await b.eval(s.read).catch((e) => e);
    expect(seen).toBeInstanceOf(ExecError);
    expect(seen.stderr).toMatch(s.absent);
    expect((await a.eval(s.read)).value).toBe("'s3'");
  });

  it('a timeout discards it (the files stay), and the next successful result says so', async () => {
    await using session = await exec.session({ language });
    await session.upload('keep.txt', 'kept');
    await session.eval(s.define);
    const stopped = await session.eval(s.spin, { limits: { timeMs: 500 } }).catch((e) => e);
    expect(stopped).toBeInstanceOf(ExecError);
    expect(stopped.tag).toBe('timeout');
    const gone = await session.eval(s.read).catch((e) => e);
    expect(gone.stderr).toMatch(s.absent);
    expect(await session.eval('1 + 1')).toMatchObject({ value: '2', stateReset: true });
    expect(await session.eval('2 + 2')).toMatchObject({ value: '4', stateReset: false });
    expect(await session.listFiles()).toEqual(['keep.txt']);
  });

  it('evaluates in the working directory', async () => {
    await using session = await exec.session({ language });
    await session.upload('sub/data.txt', 'inside');
    await session.setWorkingDir('sub');
    const read = language === 'python' ? 'open("data.txt").read()' : 'require("fs").readFileSync("data.txt", "utf8")';
    expect((await session.eval(read)).value).toBe("'inside'");
  });

  it('refuses code that is not a string, naming the option', async () => {
    await using session = await exec.session({ language });
    // Thrown at the call, before anything runs (as Session.run's option errors are).
    expect(() => session.eval(42 as unknown as string)).toThrow(OptionError);
    expect(() => session.eval(42 as unknown as string)).toThrow(/invalid option code \(42\)/);
    expect(() => session.eval('1', { limits: { timeMs: -1 } })).toThrow(/limits\.timeMs/);
  });
});

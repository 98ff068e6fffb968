// The host library as a user calls it: real components in worker threads, no mocks.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecError, Executor, OptionError, type Language, type RunOptions, type RunResult, type StreamEvent } from '../../build/host/index.js';

const exec = new Executor({ poolSize: 2 });
afterAll(() => exec.close());

const hello: Record<Language, string> = { javascript: 'console.log("hello", 6 * 7)', python: 'print("hello", 6 * 7)' };
const echoProgram: Record<Language, string> = {
  javascript: `const input = require('fs').readFileSync(0, 'utf8');
console.log(JSON.stringify({ input, args: process.argv.slice(2), env: process.env }));
process.exit(3);`,
  python: `import json, os, sys
print(json.dumps({"input": sys.stdin.read(), "args": sys.argv[1:], "env": dict(os.environ)}, separators=(",", ":")))
sys.exit(3)`,
};

async function collect(stream: AsyncIterable<StreamEvent>) {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const text = (data: Uint8Array) => Buffer.from(data).toString();

describe.each(['javascript', 'python'] as const)('%s through the library', (language) => {
  it('runs code and returns the exec-result', async () => {
    const result = await exec.run({ language, code: hello[language] });
    expect(result).toMatchObject({ stdout: 'hello 42\n', stderr: '', exitCode: 0, signal: null, compile: null });
    expect(result.timeMs).toBeTypeOf('number');
    expect(result.memoryBytes).toBeGreaterThan(0);
  });

  it('passes stdin, args and exactly the env given; a non-zero exit is a result', async () => {
    const result = await exec.run({ language, code: echoProgram[language], stdin: 'in put', args: ['a', 'b c'], env: { ONLY: 'this' } });
    expect(result.exitCode).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({ input: 'in put', args: ['a', 'b c'], env: { ONLY: 'this' } });
  });

  it('passes binary stdin unchanged', async () => {
    const code = language === 'python'
      ? 'import sys\nprint(sys.stdin.buffer.read().hex())'
      : "console.log(require('fs').readFileSync(0).toString('hex'))";
    const result = await exec.run({ language, code, stdin: new Uint8Array([0, 255, 128, 10]) });
    expect(result.stdout).toBe('00ff800a\n');
  });

  it('runs multi-file programs with an entry that is not first', async () => {
    const files = language === 'python'
      ? [{ name: 'helper.py', content: 'VALUE = 7\n' }, { name: 'app.py', content: 'import helper\nprint(helper.VALUE * 6)\n' }]
      : [{ name: 'helper.js', content: 'module.exports = 7;\n' }, { name: 'app.js', content: "console.log(require('./helper') * 6)\n" }];
    const result = await exec.run({ language, files, entry: language === 'python' ? 'app.py' : 'app.js' });
    expect(result.stdout).toBe('42\n');
  });

  it('runs in a working directory below the files\' root (cwd)', async () => {
    const main = language === 'python'
      ? { name: 'src/main.py', content: 'import os\nprint(os.getcwd().endswith("/src"), open("data.txt").read())' }
      : { name: 'src/main.js', content: "console.log(process.cwd().endsWith('/src'), require('fs').readFileSync('data.txt', 'utf8'))" };
    const result = await exec.run({ language, files: [main, { name: 'src/data.txt', content: 'here' }], cwd: 'src' });
    expect(result.stdout).toBe(language === 'python' ? 'True here\n' : 'true here\n');
    const streamed = exec.stream({ language, files: [main, { name: 'src/data.txt', content: 'here' }], cwd: 'src', stdin: '' });
    expect((await streamed.result).stdout).toBe(result.stdout);
  });

  it('rejects a runtime failure with ExecError carrying the stage result', async () => {
    const code = language === 'python' ? 'print("before")\nraise ValueError("boom")' : 'console.log("before"); throw new Error("boom")';
    const error = await exec.run({ language, code }).catch((e) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error.tag).toBe('runtime-failed');
    expect(error.stdout).toBe('before\n');
    expect(error.stderr).toContain('boom');
    expect(error.stage.exitCode).toBe(1);
  });

  it('rejects a syntax error as compilation-failed', async () => {
    const error = await exec.run({ language, code: language === 'python' ? 'print(1' : 'let x = ;' }).catch((e) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error.tag).toBe('compilation-failed');
  });

  it('streams chunks live, reads interactive stdin, and ends with the result', async () => {
    const code = language === 'python'
      ? 'print("name?", flush=True)\nname = input()\nprint("hello", name)'
      : "console.log('name?'); process.stdin.once('data', (d) => { console.log('hello', String(d).trim()); process.exit(0); });";
    const stream = exec.stream({ language, code });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      // Answer only after the prompt arrived: the program is waiting for us while it runs.
      if (event.type === 'stdout' && text(event.data).includes('name?')) stream.stdin.write('bob\n');
    }
    const stdout = events.filter((e) => e.type === 'stdout').map((e) => text((e as { data: Uint8Array }).data)).join('');
    expect(stdout).toBe('name?\nhello bob\n');
    const last = events.at(-1)!;
    expect(last.type).toBe('finished');
    expect((await stream.result).stdout).toBe('name?\nhello bob\n');
  });

  it('streams one chunk per line (or flush), as a terminal shows line-buffered output', async () => {
    const code = language === 'python'
      ? 'import sys\nprint("a", "b", 3)\nprint("c", "d")\nprint("no newline", end="")\nsys.stdout.flush()\nprint("x", "y", file=sys.stderr)'
      : 'console.log("a", "b", 3); console.log("c", "d"); process.stdout.write("no newline"); console.error("x", "y")';
    const events = await collect(exec.stream({ language, code }));
    const chunks = events.filter((e) => e.type !== 'finished').map((e) => [e.type, text((e as { data: Uint8Array }).data)]);
    expect(chunks).toEqual([['stdout', 'a b 3\n'], ['stdout', 'c d\n'], ['stdout', 'no newline'], ['stderr', 'x y\n']]);
  });

  it('stops a builtin the guest cannot interrupt with the host backstop, and the next run works', async () => {
    const code = language === 'python' ? 'sum(range(10**13))' : "/(a+)+$/.test('a'.repeat(40) + 'b')";
    const error = await exec.run({ language, code, limits: { timeMs: 1000 } }).catch((e) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error.tag).toBe('timeout');
    expect((await exec.run({ language, code: hello[language] })).stdout).toBe('hello 42\n');
  });

  it('keeps what a program printed before the host stopped it at its time limit (run, session run, eval, stream)', async () => {
    const spin = language === 'python' ? 'print("before")\nimport sys; print("err", file=sys.stderr)\nwhile True: pass' : 'console.log("before"); console.error("err"); for (;;) {}';
    const limits = { timeMs: 1000 };
    const error = await exec.run({ language, code: spin, limits }).catch((e) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error).toMatchObject({ tag: 'timeout', stdout: 'before\n', stderr: 'err\n' });
    expect(error.toJSON()).toMatchObject({ stdout: 'before\n', stderr: 'err\n' });
    // The next run of the same pool starts with nothing of it.
    const next = await exec.run({ language, code: spin, limits }).catch((e) => e);
    expect(next.stdout).toBe('before\n');

    const session = await exec.session({ language });
    try {
      const file = language === 'python' ? 'spin.py' : 'spin.js';
      await session.upload(file, spin);
      expect(await session.run(file, { limits }).catch((e) => e)).toMatchObject({ tag: 'timeout', stdout: 'before\n', stderr: 'err\n' });
      expect(await session.eval(spin, { limits }).catch((e) => e)).toMatchObject({ tag: 'timeout', stdout: 'before\n', stderr: 'err\n' });
      const streamed = await session.stream(file, { limits }).result.catch((e) => e);
      expect(streamed).toMatchObject({ tag: 'timeout', stdout: 'before\n' });
    } finally {
      await session.close();
    }
  });

  it('keeps the output cap on what a stopped program printed', async () => {
    const code = language === 'python' ? 'print("x" * 5000)\nwhile True: pass' : 'console.log("x".repeat(5000)); for (;;) {}';
    const small = new Executor({ poolSize: 1, defaults: { outputBytes: 1000 } });
    try {
      const error = await small.run({ language, code, limits: { timeMs: 1000 } }).catch((e) => e);
      expect(error.tag).toBe('timeout');
      expect(error.stdout).toBe(`${'x'.repeat(1000)}\n[golem-exec: stdout truncated after 1000 bytes]\n`);
    } finally {
      await small.close();
    }
  });

  it('caps memory: an allocation bomb is resource-exceeded, the host stays small, the next run works', async () => {
    const code = language === 'python'
      ? 'chunks = []\nwhile True: chunks.append(bytearray(1 << 20))'
      : 'const chunks = []; while (true) chunks.push(new Array(1 << 17).fill(1.5));';
    const error = await exec.run({ language, code, limits: { memoryBytes: 64 * 2 ** 20, timeMs: 20_000 } }).catch((e) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error.tag).toBe('resource-exceeded');
    expect(process.memoryUsage().rss).toBeLessThan(2 ** 30);
    const after = await exec.run({ language, code: hello[language], limits: { memoryBytes: 64 * 2 ** 20 } });
    expect(after.stdout).toBe('hello 42\n');
  });

  it('keeps session files between runs, with its own directory, and deletes them on close', async () => {
    const session = await exec.session({ language });
    const entry = language === 'python' ? 'count.py' : 'count.js';
    const program = language === 'python'
      ? 'import os\nn = int(open("n.txt").read()) if os.path.exists("n.txt") else 0\nopen("n.txt", "w").write(str(n + 1))\nprint(n + 1)'
      : "const fs = require('fs'); const n = fs.existsSync('n.txt') ? Number(fs.readFileSync('n.txt', 'utf8')) : 0; fs.writeFileSync('n.txt', String(n + 1)); console.log(n + 1);";
    await session.upload('sub/' + entry, program);
    await session.setWorkingDir('sub');
    expect((await session.run(entry)).stdout).toBe('1\n');
    expect((await session.run(entry)).stdout).toBe('2\n');
    expect(text(await session.download('n.txt'))).toBe('2');
    await session.upload({ name: 'bin.dat', content: new Uint8Array([0, 1, 254, 255]) });
    expect([...(await session.download('bin.dat'))]).toEqual([0, 1, 254, 255]);
    expect(await session.listFiles('.')).toEqual(['bin.dat', entry, 'n.txt']);

    const other = await exec.session({ language });
    expect(other.directory).not.toBe(session.directory);
    await expect(other.download('sub/n.txt')).rejects.toBeInstanceOf(ExecError);
    await other.close();

    const directory = session.directory;
    await session.close();
    expect(existsSync(directory)).toBe(false);
    await expect(session.run(entry)).rejects.toThrow(/closed/);
  });

  it('keeps a session and its files when the host has to stop its sandbox', async () => {
    await using session = await exec.session({ language });
    await session.upload('keep.txt', 'kept');
    const stuck = language === 'python' ? 'sum(range(10**13))' : "/(a+)+$/.test('a'.repeat(40) + 'b')";
    await session.upload(`stuck.${language === 'python' ? 'py' : 'js'}`, stuck);
    await session.setWorkingDir('.');
    const error = await session.run(`stuck.${language === 'python' ? 'py' : 'js'}`, { limits: { timeMs: 800 } }).catch((e) => e);
    expect(error.tag).toBe('timeout');
    expect(text(await session.download('keep.txt'))).toBe('kept');
    const read = language === 'python' ? 'print(open("keep.txt").read())' : "console.log(require('fs').readFileSync('keep.txt', 'utf8'))";
    await session.upload(`read.${language === 'python' ? 'py' : 'js'}`, read);
    expect((await session.run(`read.${language === 'python' ? 'py' : 'js'}`)).stdout).toBe('kept\n');
  });

  it('removes a session file (relative to the working directory), frees its disk quota, and nothing outside', async () => {
    const session = await exec.session({ language, limits: { diskBytes: 64 * 1024 } });
    const outside = mkdtempSync(join(tmpdir(), 'golem-exec-remove-victim-'));
    try {
      writeFileSync(join(outside, 'victim.txt'), 'host file');
      const big = 'x'.repeat(40 * 1024);
      await session.upload('big.bin', big);
      // The quota has room for one of them only, until the first is removed.
      // ENOSPC: resource-exceeded; Python's write fails with EIO instead (componentize-py's adapter drops the host's
      // code on a stream write, README "known gaps"), which the guest cannot tell from an I/O error: internal.
      await expect(session.upload('big2.bin', big)).rejects.toMatchObject({ tag: language === 'python' ? 'internal' : 'resource-exceeded' });
      await session.remove('big.bin');
      await session.upload('big2.bin', big);
      expect(await session.listFiles()).toEqual(['big2.bin']);

      // Attacks: a planted symlink to a host directory, a symlink to a host file, a path out of the session.
      const [sessionDir] = readdirSync(session.directory).filter((name) => name.startsWith('session-'));
      symlinkSync(outside, join(session.directory, sessionDir!, 'dir-link'));
      symlinkSync(join(outside, 'victim.txt'), join(session.directory, sessionDir!, 'file-link'));
      await expect(session.remove('dir-link/victim.txt')).rejects.toMatchObject({ tag: 'internal' });
      await expect(session.remove('../../' + outside.slice(1) + '/victim.txt')).rejects.toMatchObject({ tag: 'internal' });
      await expect(session.remove(join(outside, 'victim.txt'))).rejects.toMatchObject({ tag: 'internal' });
      await session.remove('file-link').catch(() => undefined); // the link itself may go; its target must not
      expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('host file');
      await expect(session.remove('dir-link')).rejects.toMatchObject({ tag: 'internal' });
      expect(readdirSync(outside)).toEqual(['victim.txt']);

      await expect(session.remove('')).rejects.toBeInstanceOf(OptionError);
      await expect(session.remove(42 as never)).rejects.toThrow(/invalid option path \(42\)/);
    } finally {
      await session.close();
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

type Runner = (options: RunOptions) => Promise<RunResult>;

/**
 * Fails unless the run after one that grew its memory got another instance: linear memory never shrinks, so a reused
 * instance reports at least as much; a new one reports its start-up size again.
 */
async function expectNewInstance(run: Runner) {
  const grow = 'const keep = []; for (let i = 0; i < 40; i++) keep.push(new Float64Array(1 << 17).fill(i)); console.log(keep.length)';
  const big = await run({ language: 'javascript', code: grow });
  const small = await run({ language: 'javascript', code: 'console.log(1)' });
  expect(big.memoryBytes! - small.memoryBytes!).toBeGreaterThan(20 * 2 ** 20);
}

/** Fails if a file left beside a run's directory, or a module left in sys.modules, reaches the next run. */
async function expectNothingLeftBehind(run: Runner) {
  // The guest's own path guard is switched off (user code can reach it): the host is the boundary.
  const leave = "import sys\nsys.modules['golem_exec.sandbox']._active = False\nopen('../left.txt', 'w').write('x')\nsys.modules['left_behind'] = sys";
  await run({ language: 'python', code: leave });
  const seen = await run({ language: 'python', code: "import os, sys\nprint(os.path.exists('../left.txt'), 'left_behind' in sys.modules)" });
  expect(seen.stdout).toBe('False False\n');
}

describe('control', () => {
  it('prewarm() starts one sandbox per language before any run (what the HTTP service and the MCP server do at start)', async () => {
    const warmed = new Executor({ poolSize: 1 });
    try {
      warmed.prewarm();
      const idle = () => [...(warmed as any).pools.entries()].map(([key, pool]: [string, any]) => `${key.split(':')[0]}:${pool.idle.length}`).sort();
      await expect.poll(idle, { timeout: 30_000, interval: 100 }).toEqual(['javascript:1', 'python:1']);
      // The first run takes the warm sandbox: no second one is started for it.
      await warmed.run({ language: 'python', code: 'print(1)' });
      expect([...(warmed as any).pools.values()].map((pool: any) => pool.workers)).toEqual([1, 1]);
    } finally {
      await warmed.close();
    }
  });

  it('gives a fresh run an instance no run used before', async () => {
    await expectNewInstance((options) => exec.run({ ...options, fresh: true }));
    const python = await exec.run({ language: 'python', code: 'import sys\nprint(len(sys.argv))', fresh: true });
    expect(python.stdout).toBe('1\n');
  });

  it('keeps giving fresh runs never-used instances after the spares are used up (instances renewed in place)', async () => {
    // More fresh runs than there are spares, so most run on a worker that replaced its instance after an earlier run:
    // neither the grown memory nor a file left beside the run's directory may reach the next one.
    const fresh: Runner = (options) => exec.run({ ...options, fresh: true });
    for (let i = 0; i < 4; i++) await expectNewInstance(fresh);
    for (let i = 0; i < 4; i++) await expectNothingLeftBehind(fresh);
  });

  it('leaves nothing a stateless run wrote beside its own directory to the next run of the same worker', async () => {
    const single = new Executor({ poolSize: 1 });
    try {
      const leave = "import sys\nsys.modules['golem_exec.sandbox']._active = False\nopen('../left.txt', 'w').write('x')";
      await single.run({ language: 'python', code: leave });
      const seen = await single.run({ language: 'python', code: "import os\nprint(os.path.exists('../left.txt'))" });
      expect(seen.stdout).toBe('False\n');
    } finally {
      await single.close();
    }
  });

  it('without a pool (`pool: false`, the CLI) runs every program in a sandbox of its own', async () => {
    const unpooled = new Executor({ pool: false });
    try {
      await unpooled.warm('python'); // nothing to warm: no sandbox is started
      await expectNewInstance((options) => unpooled.run(options));
      await expectNothingLeftBehind((options) => unpooled.run(options));
    } finally {
      await unpooled.close();
    }
  });

  it('cancels a run with an AbortSignal; the pool stays usable', async () => {
    const controller = new AbortController();
    const running = exec.run({ language: 'python', code: 'while True: pass', limits: { timeMs: 60_000 }, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const error = await running.catch((e) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error.message).toMatch(/cancelled/);
    expect((await exec.run({ language: 'python', code: hello.python })).stdout).toBe('hello 42\n');
  });

  it('applies session-level limits to every run of the session', async () => {
    await using session = await exec.session({ language: 'javascript', limits: { timeMs: 300 } });
    await session.upload('spin.js', 'while (true) {}');
    await expect(session.run('spin.js')).rejects.toMatchObject({ tag: 'timeout' });
    await expect(exec.session({ language: 'python', limits: { timeMs: 0 } })).rejects.toBeInstanceOf(OptionError);
  });
});

describe('options', () => {
  it('names the option and quotes the value', async () => {
    await expect(exec.run({ language: 'ruby' as Language, code: 'x' })).rejects.toThrow(/option language \("ruby"\)/);
    await expect(exec.run({ language: 'python', code: 'x', limits: { timeMs: -5 } })).rejects.toThrow(/option limits\.timeMs \(-5\)/);
    await expect(exec.run({ language: 'python' })).rejects.toThrow(/exactly one of `code`/);
    await expect(exec.run({ language: 'python', code: 'x', colour: 'red' } as never)).rejects.toThrow(/unknown option "colour"/);
    await expect(exec.run({ language: 'python', code: 'x', env: { 'A=B': 'c' } })).rejects.toBeInstanceOf(OptionError);
    await expect(exec.session({ language: 'cobol' as Language })).rejects.toBeInstanceOf(OptionError);
  });

  it('reports versions, languages and limit enforcement', () => {
    const info = exec.info();
    expect(info.languages).toEqual(['javascript', 'python']);
    expect(info.engines.python.bytes).toBeGreaterThan(1_000_000);
    expect(info.limits.timeMs).toMatch(/terminated at the limit/);
  });
});

describe('language names', () => {
  it('runs TypeScript code under typescript / ts (saved as main.ts), and takes js / py for the languages', async () => {
    for (const language of ['typescript', 'ts'] as const) {
      const result = await exec.run({ language, code: 'interface P { x: number }\nconst p: P = { x: 6 };\nconsole.log(p.x * 7, __filename.endsWith("main.ts"));' });
      expect(result.stdout).toBe('42 true\n');
    }
    expect((await exec.run({ language: 'js', code: 'console.log(1)' })).stdout).toBe('1\n');
    expect((await exec.run({ language: 'py', code: 'print(2)' })).stdout).toBe('2\n');
  });

  it('opens a session under an alias; its language is the component\'s', async () => {
    await using session = await exec.session({ language: 'ts' });
    expect(session.language).toBe('javascript');
    await session.upload({ name: 'main.ts', content: 'const n: number = 3;\nconsole.log(n);' });
    expect((await session.run('main.ts')).stdout).toBe('3\n');
  });

  it('rejects an unknown name with an OptionError naming the option and the value', async () => {
    await expect(exec.run({ language: 'tsx' as never, code: '' })).rejects.toThrow(/language \("tsx"\): expected one of javascript, js, typescript, ts, python, py/);
    await expect(exec.session({ language: 'TypeScript' as never })).rejects.toThrow(OptionError);
  });
});

// Issue 14 ("Crashes", "Stdlib"), through the library: what a hostile or merely deep program does must end as the
// language would end it (RecursionError, an exception), or as a limit (timeout, resource-exceeded), never crash the
// sandbox into an `internal` error; a session keeps its files whatever names it plants.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecError, Executor, type RunResult } from '../../build/host/index.js';

/** How a run ended: its output, or the error's tag and whatever output it carries. */
async function settle(pending: Promise<RunResult>) {
  try {
    const result = await pending;
    return { ending: 'finished', stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    return { ending: error.tag, stdout: error.stdout ?? '', stderr: error.stderr ?? '', message: error.message };
  }
}

/** Prints the exception a statement ends with (or that it ended without one). */
const pyCatching = (setup: string, statement: string) =>
  `import sys, json\n${setup}\ntry:\n    ${statement}\n    print('no exception')\nexcept Exception as e:\n    print(type(e).__name__)\n`;
const DEEP_LIST = 'x = []\ny = x\nfor _ in range(100000):\n    y.append([])\n    y = y[0]';

describe('Python deep recursion raises RecursionError (the sandbox thread has the stack CPython counts on)', () => {
  const exec = new Executor({ poolSize: 1 });
  afterAll(() => exec.close());
  const timeMs = 60_000; // generous: a machine under load; none of these is a timing assertion

  const deep: [string, string, string][] = [
    ['json.dumps of a 100,000-deep list (C recursion)', DEEP_LIST, 'json.dumps(x)'],
    ['json.loads of 100,000 nested arrays', '', "json.loads('[' * 100000 + ']' * 100000)"],
    ['repr of a 100,000-deep list', DEEP_LIST, 'repr(x)'],
    ['== of two 100,000-deep lists', `${DEEP_LIST}\nx2 = []\ny = x2\nfor _ in range(100000):\n    y.append([])\n    y = y[0]`, 'x == x2'],
    ['plain Python recursion at recursion limit 100,000', 'sys.setrecursionlimit(100000)\ndef f(n): return f(n + 1)', 'f(0)'],
    ['Python -> C -> Python recursion (__init__) at limit 1,000,000',
      'sys.setrecursionlimit(1000000)\nclass A:\n    def __init__(self, n): A(n + 1)', 'A(0)'],
    ['recursion through __getattr__ at limit 1,000,000',
      "sys.setrecursionlimit(1000000)\nclass C:\n    def __getattr__(self, k): return getattr(self, k + 'x')", 'C().a'],
  ];
  it.each(deep)('%s', async (_title, setup, statement) => {
    const result = await settle(exec.run({ language: 'python', code: pyCatching(setup, statement), limits: { timeMs } }));
    expect(result).toMatchObject({ ending: 'finished', stdout: 'RecursionError\n', exitCode: 0 });
  });

  it('a recursion CPython does not count (freeing a list nested 2,000,000 deep) is a limit reached, never internal', async () => {
    // CPython's deallocator defers deep frees by the same stack measure, which in wasm does not see these frames: the
    // native stack runs out first (README, known gaps). The sandbox is replaced; the next run works.
    const code = 'x = []\ny = x\nfor _ in range(2000000):\n    y.append([])\n    y = y[0]\ndel x, y\nprint("freed")\n';
    const result = await settle(exec.run({ language: 'python', code, limits: { timeMs, memoryBytes: 1 << 30 } }));
    expect(['finished', 'resource-exceeded']).toContain(result.ending);
    const after = await settle(exec.run({ language: 'python', code: 'print("after")' }));
    expect(after).toMatchObject({ ending: 'finished', stdout: 'after\n' });
  });

  it('an uncaught RecursionError is a runtime failure with its traceback, and the sandbox lives on', async () => {
    const code = 'import json\nx = []\ny = x\nfor _ in range(100000):\n    y.append([])\n    y = y[0]\ndef f(n): return f(n + 1)\nf(0)\n';
    const result = await settle(exec.run({ language: 'python', code, limits: { timeMs } }));
    expect(result.ending).toBe('runtime-failed');
    expect(result.stderr).toMatch(/Previous line repeated \d+ more times/);
    expect(result.stderr).toMatch(/RecursionError: maximum recursion depth exceeded/);
    const after = await settle(exec.run({ language: 'python', code: 'print("after")' }));
    expect(after).toMatchObject({ ending: 'finished', stdout: 'after\n' });
  });
});

describe('Python: an uncaught exception prints as CPython prints it, also from a deep recursion', () => {
  const exec = new Executor({ poolSize: 1 });
  afterAll(() => exec.close());
  const timeMs = 120_000;
  /** Raises a chain of exceptions through a 2,000-deep recursion, an exception group and a suppressed context. */
  const boom = [
    'def deep(n):',
    '    if n == 0:',
    '        raise ValueError("bottom")',
    '    return deep(n - 1)',
    'def mixed(n):',
    '    if n == 0:',
    '        return [][1]',
    '    return mixed(n - 1) + 1 if n % 7 == 0 else mixed(n - 1)',
    'def group():',
    '    errors = []',
    '    for f in (lambda: deep(3), lambda: mixed(40)):',
    '        try:',
    '            f()',
    '        except Exception as e:',
    '            errors.append(e)',
    '    raise ExceptionGroup("several", errors + [ExceptionGroup("inner", [KeyError(1)])])',
    'def go():',
    '    try:',
    '        deep(2000)',
    '    except ValueError as e:',
    '        try:',
    '            group()',
    '        except ExceptionGroup as g:',
    '            raise RuntimeError("outer") from g',
  ].join('\n');
  const sameRunDir = (text: string) => text.replace(/run-[0-9a-f]{16}/g, 'run-X');

  it("the guest's report equals traceback.format_exception's", async () => {
    // Line 3 is the same in both programs, so their tracebacks show the same lines.
    const uncaught = 'import sys, traceback, boom\nsys.setrecursionlimit(5000)\ntry: boom.go()\nfinally: pass\n';
    const caught = 'import sys, traceback, boom\nsys.setrecursionlimit(5000)\ntry: boom.go()\nexcept BaseException as e: sys.stderr.write("".join(traceback.format_exception(type(e), e, e.__traceback__)))\n';
    const files = (main: string) => [{ name: 'main.py', content: main }, { name: 'boom.py', content: boom }];
    const got = await settle(exec.run({ language: 'python', files: files(uncaught), limits: { timeMs } }));
    const expected = await settle(exec.run({ language: 'python', files: files(caught), limits: { timeMs } }));
    expect(got.ending).toBe('runtime-failed');
    expect(expected.ending).toBe('finished');
    expect(expected.stderr).toMatch(/Previous line repeated 1997 more times/);
    expect(sameRunDir(got.stderr)).toBe(sameRunDir(expected.stderr));
  });

  it('an uncaught RecursionError at recursion limit 100,000 prints its traceback (it took ~100 s)', async () => {
    const code = 'import sys\nsys.setrecursionlimit(100000)\ndef f(n): return f(n + 1)\nf(0)\n';
    const result = await settle(exec.run({ language: 'python', code, limits: { timeMs: 60_000 } }));
    expect(result.ending).toBe('runtime-failed');
    expect(result.stderr).toMatch(/Previous line repeated \d+ more times/);
    expect(result.stderr).toMatch(/RecursionError: maximum recursion depth exceeded/);
  });
});

describe('a hostile process.exitCode is refused as Node refuses it (a runtime failure), never an internal error', () => {
  const exec = new Executor({ poolSize: 1 });
  afterAll(() => exec.close());

  const hostile: [string, string][] = [
    ['a valueOf that never returns', 'process.exitCode = { valueOf() { for (;;) {} } };'],
    ['a valueOf that throws', "process.exitCode = { valueOf() { throw new Error('x'); } };"],
    ['a Symbol', "process.exitCode = Symbol('code');"],
    ['a BigInt', 'process.exitCode = 3n;'],
    ['a property redefined around the setter', 'Object.defineProperty(process, "exitCode", { value: { valueOf() { for (;;) {} } } });'],
    ['process.exit with a valueOf that never returns', 'process.exit({ valueOf() { for (;;) {} } });'],
  ];
  it.each(hostile)('%s', async (_title, statement) => {
    const result = await settle(exec.run({ language: 'javascript', code: `${statement}\nconsole.log('set');\n`, limits: { timeMs: 3000 } }));
    expect(['runtime-failed', 'timeout']).toContain(result.ending);
    if (result.ending === 'runtime-failed') expect(result.stderr).toMatch(/TypeError/);
    const after = await settle(exec.run({ language: 'javascript', code: 'console.log("after")' }));
    expect(after).toMatchObject({ ending: 'finished', stdout: 'after\n' });
  });

  it('integer exit codes (numbers and integer strings) still work', async () => {
    for (const [value, code] of [['3', 3], ['"4"', 4], ['undefined', 0], ['null', 0]] as const) {
      const result = await settle(exec.run({ language: 'javascript', code: `process.exitCode = ${value};` }));
      expect(result).toMatchObject({ ending: 'finished', exitCode: code });
    }
  });
});

describe('a session keeps its files across a hard stop whatever names are in its directory', () => {
  const exec = new Executor({ poolSize: 1 });
  const roots: string[] = [];
  afterAll(async () => {
    await exec.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  for (const language of ['python', 'javascript'] as const) {
    const ext = language === 'python' ? 'py' : 'js';
    const loop = language === 'python' ? 'while True: pass\n' : 'for (;;) {}\n';

    it(`${language}: names planted next to the session's own directory are never adopted in its place`, async () => {
      const directory = mkdtempSync(join(tmpdir(), 'golem-exec-planted-'));
      roots.push(directory);
      // What an earlier process or another user of the directory may have left beside the session's own directory:
      // a file with a session's name, and a newer session-like directory holding a file of its own.
      writeFileSync(join(directory, 'session-0123456789abcdef'), 'planted');
      const session = await exec.session({ language, directory });
      await session.upload('keep.txt', 'precious');
      await session.upload(`loop.${ext}`, loop);
      mkdirSync(join(directory, 'session-fedcba9876543210'));
      writeFileSync(join(directory, 'session-fedcba9876543210', 'decoy.txt'), 'decoy');
      expect(await settle(session.run(`loop.${ext}`, { limits: { timeMs: 300 } }))).toMatchObject({ ending: 'timeout' });
      expect(await session.listFiles()).toEqual(['keep.txt', `loop.${ext}`]);
      expect(new TextDecoder().decode(await session.download('keep.txt'))).toBe('precious');
      await session.close();
      // The session removes only its own directory.
      expect(readdirSync(directory).filter((name) => name.startsWith('session-')).sort()).toEqual(['session-0123456789abcdef', 'session-fedcba9876543210']);
    });
  }
});

describe('Python stdlib: the codecs the stdlib itself names are there', () => {
  const exec = new Executor({ poolSize: 1 });
  afterAll(() => exec.close());

  it('zipfile writes and reads back a zip (cp437 file names); tarfile, idna and the common codecs work', async () => {
    const code = [
      'import io, zipfile, tarfile, codecs',
      'buf = io.BytesIO()',
      "with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:",
      "    z.writestr('hello.txt', 'hello zip')",
      "    z.writestr('caf\\u00e9.txt', 'accent')",
      "with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:",
      "    print(sorted(z.namelist()), z.read('hello.txt').decode())",
      "open('a.zip', 'wb').write(buf.getvalue())",
      "with zipfile.ZipFile('a.zip') as z:",
      "    print(z.testzip())",
      'tbuf = io.BytesIO()',
      "with tarfile.open(fileobj=tbuf, mode='w:gz') as t:",
      "    info = tarfile.TarInfo('t.txt'); data = b'tar'; info.size = len(data); t.addfile(info, io.BytesIO(data))",
      "with tarfile.open(fileobj=io.BytesIO(tbuf.getvalue())) as t:",
      "    print(t.extractfile('t.txt').read().decode())",
      "print('b\\u00fccher.example'.encode('idna').decode())",
      "for name in ('cp437', 'cp850', 'cp1251', 'latin-1', 'iso8859-15', 'mac-roman', 'koi8-r', 'utf-16', 'utf-32', 'shift_jis', 'gbk', 'euc-kr', 'big5', 'punycode', 'rot13', 'hex', 'base64', 'charmap', 'utf-8-sig', 'utf-7'):",
      '    codecs.lookup(name)',
      "print('codecs ok')",
    ].join('\n');
    const result = await settle(exec.run({ language: 'python', code }));
    expect(result).toMatchObject({
      ending: 'finished',
      stdout: "['café.txt', 'hello.txt'] hello zip\nNone\ntar\nxn--bcher-kva.example\ncodecs ok\n",
    });
  });
});

describe('JavaScript: CompressionStream and DecompressionStream work, also when nothing awaits them', () => {
  // A script that ended with `.then(...)` on a body read through them returned before the engine settled it: exit 0,
  // its output missing (the engine's own tasks kept nothing of the run alive).
  const exec = new Executor({ poolSize: 1 });
  afterAll(() => exec.close());
  const roundTrip = `new Response(new Blob(['hello world']).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()
  .then((gz) => new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).text())
  .then((text) => console.log(text));`;

  it('a script (CommonJS) whose last act is a .then on them prints what they give', async () => {
    const result = await exec.run({ language: 'javascript', code: roundTrip });
    expect({ stdout: result.stdout, exitCode: result.exitCode }).toEqual({ stdout: 'hello world\n', exitCode: 0 });
  });

  it('a module that awaits them, and a large input, round-trip too', async () => {
    const code = `const gz = await new Response(new Blob(['x'.repeat(2_000_000)]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer();
const back = await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('deflate'))).text();
console.log(gz.byteLength < 100_000, back.length);`;
    const result = await exec.run({ language: 'javascript', files: [{ name: 'main.mjs', content: code }], limits: { timeMs: 30_000 } });
    expect(result.stdout).toBe('true 2000000\n');
  });

  it('Blob and WebCrypto promises left to a .then are settled before the run ends', async () => {
    const code = "new Blob(['abc']).arrayBuffer().then((b) => crypto.subtle.digest('SHA-256', b)).then((d) => console.log(new Uint8Array(d)[0]));";
    const result = await exec.run({ language: 'javascript', code });
    expect(result.stdout).toBe('186\n'); // sha256("abc") starts with 0xba
  });
});

// Issue 13, through the library: the limits hold whatever the guest program does to get around them. The output caps,
// the file-size limit and the disk quota are enforced by the host where the bytes leave the guest (its WASI stdout,
// stderr and filesystem), so a program that writes around the guest's own bookkeeping, or changes it, gets no more.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecError, Executor, type Language, type RunResult, type RunStream } from '../../build/host/index.js';

const MiB = 1048576;
/** The default output cap per stream (EXEC_OUTPUT_LIMIT_BYTES), and room for the marker line after it. */
const CAP = MiB;
const SLACK = 200;
const marker = (stream: 'stdout' | 'stderr') => `[golem-exec: ${stream} truncated after ${CAP} bytes]`;
/**
 * What a Python program sees when the host refuses a write. A refusal when a file's stream is opened reaches it as
 * EFBIG / ENOSPC; one on a stream already open (after a short write took the last room) as EIO: componentize-py's
 * WASI adapter reports every failed stream write as EIO, dropping the error code the host gives. JavaScript always sees
 * the code (its guest writes with descriptor calls).
 */
const PY_REFUSED = (code: 'EFBIG' | 'ENOSPC') => new RegExp(`^(${code}|EIO)`);

/** Consumes a streamed run: bytes per stream, whether the marker went by, and how the run ended. */
async function drain(stream: RunStream) {
  const seen = { stdout: { bytes: 0, window: '', marked: false }, stderr: { bytes: 0, window: '', marked: false } };
  let ending: string;
  try {
    for await (const event of stream) {
      if (event.type === 'finished') continue;
      const s = seen[event.type];
      s.bytes += event.data.length;
      s.window = (s.window + Buffer.from(event.data).toString('latin1')).slice(-1024);
      if (s.window.includes(marker(event.type))) s.marked = true;
    }
    ending = 'finished';
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    ending = error.tag;
  }
  return {
    ending,
    stdout: { bytes: seen.stdout.bytes, marked: seen.stdout.marked },
    stderr: { bytes: seen.stderr.bytes, marked: seen.stderr.marked },
  };
}

/** A run's result, or the partial output an ExecError carries. */
async function settle(pending: Promise<RunResult>): Promise<{ ending: string; stdout: string; stderr: string }> {
  try {
    const result = await pending;
    return { ending: 'finished', stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    return { ending: error.tag, stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
  }
}

/** Python: writes 5 MB to file descriptor `fd` with the given call, around sys.stdout / sys.stderr. */
const pyRawWrite = (fd: 1 | 2, how: 'os.write' | 'io.FileIO') => how === 'os.write'
  ? `import os\ndata = b"x" * 5_000_000\nn = 0\nwhile n < len(data):\n    n += os.write(${fd}, data[n:])\n`
  : `import io\nf = io.FileIO(${fd}, "w", closefd=False)\nfor _ in range(5):\n    chunk = b"x" * 1_000_000\n    n = 0\n    while n < len(chunk):\n        n += f.write(chunk[n:])\n`;

/** Python: raises the guest's own cap on sys.stdout / sys.stderr, then writes 5 MB through it. */
const pyRaiseCap = (stream: 'stdout' | 'stderr') =>
  `import sys\nb = sys.${stream}.buffer\ngetattr(b, "raw", b).limit = 10**10\nsys.${stream}.write("x" * 5_000_000)\nsys.${stream}.flush()\n`;

/** JavaScript: makes the guest's own cap arithmetic a no-op (its OutputSink slices with subarray), then writes 5 MB. */
const jsDisableCap = (stream: 'stdout' | 'stderr') =>
  `Uint8Array.prototype.subarray = function () { return this; };\nprocess.${stream}.write('x'.repeat(5e6));\n`;

describe('output caps (1 MiB per stream by default) hold in streamed runs', () => {
  const cases: [string, Language, 'stdout' | 'stderr', string][] = [
    ['python os.write(1, ...)', 'python', 'stdout', pyRawWrite(1, 'os.write')],
    ['python io.FileIO(1).write(...)', 'python', 'stdout', pyRawWrite(1, 'io.FileIO')],
    ['python os.write(2, ...)', 'python', 'stderr', pyRawWrite(2, 'os.write')],
    ['python io.FileIO(2).write(...)', 'python', 'stderr', pyRawWrite(2, 'io.FileIO')],
    ['python sys.stdout.buffer.limit = 10**10', 'python', 'stdout', pyRaiseCap('stdout')],
    ['javascript Uint8Array.prototype.subarray no-op, process.stdout.write', 'javascript', 'stdout', jsDisableCap('stdout')],
    ['javascript Uint8Array.prototype.subarray no-op, process.stderr.write', 'javascript', 'stderr', jsDisableCap('stderr')],
  ];

  it.each(cases)('%s: at most the cap is delivered, then the marker', async (_name, language, stream, code) => {
    await using exec = new Executor({ poolSize: 1 });
    const seen = await drain(exec.stream({ language, code, stdin: '' }));
    expect(seen[stream].bytes).toBeLessThanOrEqual(CAP + SLACK);
    expect(seen[stream].marked).toBe(true);
    // The instance is still usable (or replaced) for the next run.
    expect((await exec.run({ language, code: language === 'python' ? 'print("next")' : 'console.log("next")' })).stdout).toBe('next\n');
  });
});

describe('output caps hold in runs to completion (exec.run)', () => {
  const cases: [string, Language, 'stdout' | 'stderr', string][] = [
    ['python sys.stdout.buffer.limit = 10**10', 'python', 'stdout', pyRaiseCap('stdout')],
    ['python sys.stderr.buffer.limit = 10**10', 'python', 'stderr', pyRaiseCap('stderr')],
    ['javascript Uint8Array.prototype.subarray no-op, process.stdout.write', 'javascript', 'stdout', jsDisableCap('stdout')],
    ['javascript Uint8Array.prototype.subarray no-op, process.stderr.write', 'javascript', 'stderr', jsDisableCap('stderr')],
  ];

  it.each(cases)('%s: the result holds at most the cap and ends with the marker line', async (_name, language, stream, code) => {
    await using exec = new Executor({ poolSize: 1 });
    const result = await settle(exec.run({ language, code }));
    expect(result.ending).toBe('finished');
    expect(Buffer.byteLength(result[stream], 'utf8')).toBeLessThanOrEqual(CAP + SLACK);
    expect(result[stream].endsWith(`${marker(stream)}\n`)).toBe(true);
  });
});

/** Sizes of the files below a host directory, by path relative to it. */
function fileSizes(dir: string, prefix = ''): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(sizes, fileSizes(path, `${prefix}${entry.name}/`));
    else if (entry.isFile()) sizes[`${prefix}${entry.name}`] = statSync(path).size;
  }
  return sizes;
}
const total = (sizes: Record<string, number>) => Object.values(sizes).reduce((a, b) => a + b, 0);

describe('file-size limit (limits.fileSizeBytes) holds for every way of writing', () => {
  it('python io.FileIO writing 5 MiB in 64 KiB chunks under a 1 MiB limit: EFBIG, the file stays <= 1 MiB', async () => {
    await using exec = new Executor({ poolSize: 1 });
    await using session = await exec.session({ language: 'python', limits: { fileSizeBytes: MiB } });
    await session.upload('w.py', `import errno, io
f = io.FileIO("big.bin", "w")
chunk = b"x" * 65536
written = 0
try:
    for _ in range(80):
        written += f.write(chunk)
    print("no error", written)
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))
finally:
    f.close()`);
    const result = await settle(session.run('w.py'));
    expect(result.ending).toBe('finished');
    expect(result.stdout).toMatch(PY_REFUSED('EFBIG'));
    expect((await session.download('big.bin')).length).toBeLessThanOrEqual(MiB);
    expect(Math.max(...Object.values(fileSizes(session.directory)))).toBeLessThanOrEqual(MiB);
  });

  it('python io.FileIO in a stateless run: EFBIG, and the program itself sees <= 1 MiB on disk', async () => {
    await using exec = new Executor({ poolSize: 1 });
    const code = `import errno, io, os
f = io.FileIO("big.bin", "w")
try:
    for _ in range(80):
        f.write(b"x" * 65536)
    print("no error")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))
finally:
    f.close()
print(os.path.getsize("big.bin") <= ${MiB})`;
    const result = await settle(exec.run({ language: 'python', code, limits: { fileSizeBytes: MiB } }));
    expect(result.ending).toBe('finished');
    expect(result.stdout).toMatch(PY_REFUSED('EFBIG'));
    expect(result.stdout).toMatch(/\nTrue\n$/);
  });

  it('python sqlite3 (its own writes, below the guest) cannot grow a database past 1 MiB', async () => {
    await using exec = new Executor({ poolSize: 1 });
    await using session = await exec.session({ language: 'python', limits: { fileSizeBytes: MiB } });
    await session.upload('db.py', `import sqlite3
try:
    db = sqlite3.connect("big.db")
    db.execute("create table t(x)")
    for _ in range(6):
        db.execute("insert into t values (?)", (b"x" * ${MiB},))
    db.commit()
    print("no error")
except Exception as e:
    print("refused", type(e).__name__)`);
    const result = await settle(session.run('db.py'));
    expect(result.ending).toBe('finished');
    expect(result.stdout).toMatch(/^refused /);
    const sizes = fileSizes(session.directory);
    expect(Math.max(...Object.values(sizes))).toBeLessThanOrEqual(MiB);
  });

  it('javascript appendFileSync in 64 KiB chunks under a 1 MiB limit: EFBIG, the file stays <= 1 MiB (guard: passes on issue 13\'s code)', async () => {
    // The JavaScript runtime has no fd-level fs API (no openSync/writeSync); appendFileSync is its incremental write.
    await using exec = new Executor({ poolSize: 1 });
    await using session = await exec.session({ language: 'javascript', limits: { fileSizeBytes: MiB } });
    await session.upload('w.js', `const fs = require('fs');
const chunk = Buffer.alloc(65536, 120);
fs.writeFileSync('big.bin', '');
try { for (let i = 0; i < 80; i++) fs.appendFileSync('big.bin', chunk); console.log('no error'); }
catch (e) { console.log(e.code); }`);
    const result = await settle(session.run('w.js'));
    expect(result).toMatchObject({ ending: 'finished', stdout: 'EFBIG\n' });
    expect((await session.download('big.bin')).length).toBeLessThanOrEqual(MiB);
  });
});

describe('disk quota (limits.diskBytes): per session, and per stateless run', () => {
  const QUOTA = 4 * MiB;
  const fill: Record<Language, string> = {
    python: `import errno
made = 0
try:
    for i in range(20):
        with open("f%d" % i, "wb") as f:
            f.write(b"x" * ${MiB})
        made += 1
    print("no error", made)
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno), made)`,
    javascript: `const fs = require('fs');
let made = 0;
try { for (let i = 0; i < 20; i++) { fs.writeFileSync('f' + i, Buffer.alloc(${MiB}, 120)); made++; } console.log('no error', made); }
catch (e) { console.log(e.code, made); }`,
  };
  const count: Record<Language, string> = {
    python: `import os\nprint(sum(os.path.getsize(n) for n in os.listdir(".") if os.path.isfile(n)) <= ${QUOTA})`,
    javascript: `const files = require('fs');\nconsole.log(files.readdirSync('.').map((n) => files.statSync(n)).filter((s) => s.isFile()).reduce((a, s) => a + s.size, 0) <= ${QUOTA});`,
  };

  it.each(['python', 'javascript'] as const)('%s session with a 4 MiB quota: ENOSPC, at most 4 MiB of files on disk', async (language) => {
    await using exec = new Executor({ poolSize: 1 });
    await using session = await exec.session({ language, limits: { diskBytes: QUOTA } });
    const entry = language === 'python' ? 'fill.py' : 'fill.js';
    await session.upload(entry, fill[language]);
    const result = await settle(session.run(entry));
    const refused = language === 'python' ? PY_REFUSED('ENOSPC') : /^ENOSPC/;
    expect(result.ending).toBe('finished');
    expect(result.stdout).toMatch(refused);
    expect(result.stdout).toMatch(/ \d+\n$/);
    expect(total(fileSizes(session.directory))).toBeLessThanOrEqual(QUOTA);
    // The quota is the session's, not the run's: a second run (which rewrites the same files) cannot add another 4 MiB.
    const again = await settle(session.run(entry));
    expect(again.stdout).toMatch(refused);
    expect(total(fileSizes(session.directory))).toBeLessThanOrEqual(QUOTA);
  });

  it.each(['python', 'javascript'] as const)('%s stateless run with a 4 MiB quota: ENOSPC, and it sees at most 4 MiB of files', async (language) => {
    await using exec = new Executor({ poolSize: 1 });
    const result = await settle(exec.run({ language, code: `${fill[language]}\n${count[language]}`, limits: { diskBytes: QUOTA } }));
    expect(result.ending).toBe('finished');
    expect(result.stdout).toMatch(language === 'python' ? PY_REFUSED('ENOSPC') : /^ENOSPC/);
    expect(result.stdout).toMatch(/ \d+\n(True|true)\n$/);
  });
});

describe('time limit: a timeout is a timeout, and the sandbox is usable for the next run', () => {
  const cases: [string, Language, string][] = [
    ['python while True: pass', 'python', 'while True: pass'],
    ['python with the guest\'s sys.monitoring deadline switched off', 'python',
      'import sys\nfor tool in range(6):\n    try:\n        sys.monitoring.set_events(tool, 0)\n        sys.monitoring.free_tool_id(tool)\n    except Exception:\n        pass\nwhile True: pass'],
    ['javascript for (;;) {}', 'javascript', 'for (;;) {}'],
    ['javascript eval\'d loop (not instrumented by the guest)', 'javascript', "eval('for (;;) {}')"],
  ];

  it.each(cases)('%s (limits.timeMs 300)', async (_name, language, code) => {
    await using exec = new Executor({ poolSize: 1 });
    const error = await exec.run({ language, code, limits: { timeMs: 300 } }).catch((e) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error.tag).toBe('timeout');
    const next = await exec.run({ language, code: language === 'python' ? 'print("next")' : 'console.log("next")' });
    expect(next.stdout).toBe('next\n');
  });

  it.each(['python', 'javascript'] as const)('%s session: a timed-out run leaves the files, the next run works', async (language) => {
    await using exec = new Executor({ poolSize: 1 });
    await using session = await exec.session({ language });
    await session.upload('keep.txt', 'kept');
    const spin = language === 'python' ? 'spin.py' : 'spin.js';
    await session.upload(spin, language === 'python' ? 'while True: pass' : 'for (;;) {}');
    await expect(session.run(spin, { limits: { timeMs: 300 } })).rejects.toMatchObject({ tag: 'timeout' });
    const read = language === 'python' ? 'read.py' : 'read.js';
    await session.upload(read, language === 'python' ? 'print(open("keep.txt").read())' : "console.log(require('fs').readFileSync('keep.txt', 'utf8'))");
    expect((await session.run(read)).stdout).toBe('kept\n');
  });
});

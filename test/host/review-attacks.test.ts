// Review of the pristine-runs change (62d7feb, 31fcec0): attacks that still get through, through the library. Each
// test states what the host should guarantee and FAILS on the code it was written against. A pool of one warm
// instance (`poolSize: 1`) makes consecutive stateless runs share an instance, as two callers of a service would.
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecError, Executor, type RunResult } from '../../build/host/index.js';

const KiB = 1024;
const MiB = 1048576;

const exec = new Executor({ poolSize: 1 });
afterAll(() => exec.close());

/** A run's result, or the ExecError it was rejected with. */
async function settle(pending: Promise<RunResult>): Promise<RunResult | ExecError> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof ExecError) return error;
    throw error;
  }
}

/** Bytes of the regular files below `dir` (what the disk quota is meant to bound). */
function fileBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += fileBytes(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

/** Disk space (allocated blocks) of everything below `dir`, the directory itself included. */
function allocatedBytes(dir: string): number {
  let total = lstatSync(dir).blocks * 512;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? allocatedBytes(path) : lstatSync(path).blocks * 512;
  }
  return total;
}

describe('disk quota (host WASI filesystem)', () => {
  // Shows: rename-at credits the bytes of the "replaced" target even when source and target are the same file
  // (rename onto itself, or onto a hard link of itself, is a no-op), so a session keeps any amount of data on disk.
  it.each([
    ['python', 'main.py', `import os\nn = 0\nfor i in range(8):\n    try:\n        with open(f"f{i}", "wb") as f: f.write(b"x" * (1 << 19))\n        os.rename(f"f{i}", f"f{i}")\n        n += 1\n    except OSError as e:\n        print("refused", e); break\nprint("wrote", n)\n`],
    ['javascript', 'main.js', `const fs = require('fs'); let n = 0;\nfor (let i = 0; i < 8; i++) { try { fs.writeFileSync('f' + i, Buffer.alloc(1 << 19, 120)); fs.renameSync('f' + i, 'f' + i); n++; } catch (e) { console.log('refused', e.code); break; } }\nconsole.log('wrote', n);\n`],
  ] as const)('%s: renaming each file onto itself does not let a session keep more than its diskBytes', async (language, entry, code) => {
    const session = await exec.session({ language, limits: { diskBytes: MiB } });
    try {
      await session.upload(entry, code);
      await settle(session.run(entry));
      expect(fileBytes(session.directory)).toBeLessThanOrEqual(MiB);
    } finally {
      await session.close();
    }
  });

  // Shows: unlinking a file credits its size at once although an open handle keeps its bytes allocated; a run holds
  // many times its quota on the host's disk (here 8 MiB held under a 2 MiB quota, verified by the guest's fstat).
  it('python: files unlinked while open do not give their bytes back before they are closed', async () => {
    const result = await settle(exec.run({
      language: 'python',
      code: `import os\nheld = []\ntry:\n    for i in range(8):\n        f = open(f"f{i}", "wb"); f.write(b"x" * (1 << 20)); f.flush()\n        os.unlink(f"f{i}"); held.append(f)\nexcept OSError as e:\n    print("refused", e)\nprint(sum(os.fstat(f.fileno()).st_size for f in held))\n`,
      limits: { diskBytes: 2 * MiB },
    }));
    expect(result).not.toBeInstanceOf(ExecError);
    const held = Number((result as RunResult).stdout.trim().split('\n').at(-1));
    expect(held).toBeLessThanOrEqual(2 * MiB);
  });

  // Shows: only regular files' sizes are counted; directories and symlinks (each takes at least a block, and an
  // inode) are free, so a session fills the host's disk and inode table under any quota (here ~40x a 64 KiB quota).
  // Guests can no longer make symlinks (issue 14): the program fills the quota with directories alone.
  it('python: directories count against a session\'s diskBytes', async () => {
    const diskBytes = 64 * KiB;
    const session = await exec.session({ language: 'python', limits: { diskBytes } });
    try {
      await session.upload('main.py', `import errno, os\ntry:\n    os.mkdir("d")\n    for i in range(150):\n        os.mkdir(f"d/{i:04d}" + "n" * 200)\n    print("done")\nexcept OSError as e:\n    print(errno.errorcode[e.errno])\n`);
      const result = await settle(session.run('main.py'));
      expect(result).toMatchObject({ stdout: 'ENOSPC\n' });
      // The session's own directories and main.py take a few blocks; allow 4 of them beside the quota.
      expect(allocatedBytes(session.directory)).toBeLessThanOrEqual(diskBytes + 4 * 4096);
    } finally {
      await session.close();
    }
  });

  // Shows: set-size charges a file's growth twice (grow() adds it, then shrink() of a negative amount adds it again),
  // so a file extended with truncate makes later writes within the quota fail with ENOSPC.
  it('python: extending a file with os.truncate is charged once', async () => {
    const result = await settle(exec.run({
      language: 'python',
      code: `import os\nopen("a", "wb").close()\nos.truncate("a", 2 << 20)\ntry:\n    open("b", "wb").write(b"y" * (1 << 20)); print("ok")\nexcept OSError as e:\n    print("refused", e)\n`,
      limits: { diskBytes: 4 * MiB },
    }));
    expect(result).toMatchObject({ stdout: 'ok\n' });
  });
});

describe('output cap (1 MiB per stream) on what leaves the guest', () => {
  // Shows: the host caps stage results only; an `internal` error's message is passed on whole, and a program makes
  // the Python runner fail after it (no guest rollback under the host) with a message of its choosing (5 MB here).
  it("python: an internal error raised from the runner's post-run code carries at most the cap", async () => {
    const result = await settle(exec.run({
      language: 'python',
      code: 'import os\ndef boom(*a):\n    raise Exception("A" * 5_000_000)\nos.environ.clear = boom\n',
    }));
    expect(result).toBeInstanceOf(ExecError);
    expect(String((result as ExecError).message).length).toBeLessThanOrEqual(MiB + 200);
  });
});

describe('memory limit', () => {
  // Shows: a session run's own limits.memoryBytes is accepted and not enforced: the host caps memory at the session's
  // cap only, and the Python guest's memory probe is switched off under EXEC_HOST_TIMEOUT (a regression of 62d7feb).
  it('python: a session run with limits.memoryBytes = 32 MiB cannot allocate 100 MiB', async () => {
    const session = await exec.session({ language: 'python' });
    try {
      await session.upload('main.py', 'x = bytearray(100 * 2**20)\nx[-1] = 1\nprint(len(x))\n');
      const result = await settle(session.run('main.py', { limits: { memoryBytes: 32 * MiB } }));
      expect(result).toBeInstanceOf(ExecError);
      expect((result as ExecError).tag).toBe('resource-exceeded');
    } finally {
      await session.close();
    }
  });
});

describe('what one caller learns about the previous caller of a pooled instance', () => {
  // Shows: a JavaScript run's memoryBytes is the instance's linear memory, which keeps (zeroed) whatever the previous
  // run grew it by: the next caller reads the previous caller's memory use off its own result.
  it("javascript: memoryBytes does not reveal the previous run's allocations", async () => {
    const probe = () => exec.run({ language: 'javascript', code: 'console.log(1)' });
    const before = (await probe()).memoryBytes;
    await exec.run({ language: 'javascript', code: 'const a = new Uint8Array(12 * 2 ** 20); a.fill(7); console.log(a.length)' });
    const after = (await probe()).memoryBytes;
    expect(after).toBe(before);
  });

  // Shows: the Python guest reuses its stateless run directory and the host keeps it when it is empty; a directory
  // never shrinks, so its size (and its mtime) tell the next caller how many files the previous one created.
  it("python: the reused run directory's size does not reveal the previous run's files", async () => {
    const probe = async () => Number((await exec.run({ language: 'python', code: 'import os; print(os.stat(".").st_size)' })).stdout);
    const before = await probe();
    await exec.run({ language: 'python', code: 'for i in range(300):\n    open("secret-%d-%s" % (i, "x" * 100), "w").close()\n' });
    expect(await probe()).toBe(before);
  });

  // Shows (Session 7 review): the host emptied and kept every directory named like the guest's run directory
  // (`run-<16 hex>`), not only the one the guest had: 64 bits of a caller's choosing per name, for the next caller.
  it('python: directories named like a run directory do not carry data to the next run', async () => {
    const secret = Buffer.from('caller-A-secret!').toString('hex');
    const plant = `import sys, os\nsys.modules['golem_exec.sandbox']._active = False\nfor i in range(0, ${secret.length}, 16): os.mkdir('/workspace/run-' + '${secret}'[i:i+16])\nprint(sorted(os.listdir('/workspace')))`;
    const planted = await exec.run({ language: 'python', code: plant });
    expect(planted.stdout).toContain(secret.slice(0, 16));
    const probe = "import sys, os\nsys.modules['golem_exec.sandbox']._active = False\nprint(' '.join(sorted(os.listdir('/workspace'))))";
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200)); // the planting sandbox's reset is done: it is the one taken
      const seen = (await exec.run({ language: 'python', code: probe })).stdout;
      for (let at = 0; at < secret.length; at += 16) expect(seen).not.toContain(secret.slice(at, at + 16));
    }
  });

  // Shows (Session 7 review): the formatting of an uncaught error runs the program's own code (its Date, its error's
  // message); one that throws there made the host report `internal` (with the guest's stack) for the caller's program.
  it('javascript: an uncaught error whose report throws is runtime-failed, not internal', async () => {
    for (const code of [
      "Date.prototype.getTime = function () { throw new Error('boom') }; throw new Date()",
      "const e = new Error('x'); e.message = { toString() { throw new Error('no') } }; throw e",
    ]) {
      const error = await exec.run({ language: 'javascript', code }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ExecError);
      expect((error as ExecError).tag).toBe('runtime-failed');
    }
  });
});

describe('sessions', () => {
  // Shows (Session 7 review): an evaluation that used Intl left the lazy Intl installer marked done while its rollback
  // put the lazy getter back: every later run of the session that used Intl failed with "too much recursion".
  it('javascript: Intl works in a session run after an evaluation used it', async () => {
    const session = await exec.session({ language: 'javascript' });
    try {
      await session.upload('n.js', "console.log(new Intl.NumberFormat('en-US').format(1234.5))");
      expect((await session.run('n.js')).stdout).toBe('1,234.5\n');
      expect((await session.eval("new Intl.NumberFormat('en-US').format(1234.5)")).value).toBe("'1,234.5'");
      expect((await session.run('n.js')).stdout).toBe('1,234.5\n');
      expect((await session.run('n.js')).stdout).toBe('1,234.5\n');
    } finally {
      await session.close();
    }
  });
});

describe('time limit', () => {
  // Shows: a `cwd` run is a throwaway guest session whose `close` the host calls after the program, with a deadline of
  // its own; the program patches the guest's close path (no guest rollback under the host) and its code keeps running
  // there, past the run's time limit, while the caller gets an ordinary result. The hook writes to a rw mount once the
  // program has been running for longer than its limit.
  it('python: no program code runs after its run, past its time limit (cwd run)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'review-cwd-'));
    try {
      const timeMs = 2000;
      const code = `import sys, time\nstart = time.monotonic()\nwhile time.monotonic() - start < ${timeMs / 2000}: pass\nfiles = sys.modules["golem_exec.files"]\nremove_tree = files.remove_tree\ndef hook(*a, **k):\n    while time.monotonic() - start < ${(timeMs * 1.2) / 1000}: pass\n    open("/out/ran-past-the-limit", "w").write(str(time.monotonic() - start))\n    return remove_tree(*a, **k)\nfiles.remove_tree = hook\nprint("done")\n`;
      const result = await settle(exec.run({
        language: 'python', files: [{ name: 'src/main.py', content: code }], cwd: 'src', limits: { timeMs },
        mounts: [{ hostPath: out, guestPath: '/out', readOnly: false }],
      }));
      expect(result).toMatchObject({ stdout: 'done\n' });
      expect(existsSync(join(out, 'ran-past-the-limit')) ? readFileSync(join(out, 'ran-past-the-limit'), 'utf8') : null).toBeNull();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('session streams', () => {
  // Shows (a functional bug, not a leak): Session.stream attaches its stdin before the session's call reaches the
  // sandbox (it first waits for the previous run's reset), so input written at once goes to whatever call is pending
  // (the reset) or nowhere, and the program waits for input until its time limit.
  it('python: stdin written right after session.stream() reaches the program', async () => {
    const session = await exec.session({ language: 'python' });
    try {
      await session.upload('main.py', 'import sys\nprint("got", sys.stdin.read())\n');
      await session.run('main.py', { stdin: '' });
      const stream = session.stream('main.py', { limits: { timeMs: 3000 } });
      stream.stdin.write('hello');
      stream.stdin.end();
      expect(await settle(stream.result)).toMatchObject({ stdout: 'got hello\n' });
    } finally {
      await session.close();
    }
  });
});

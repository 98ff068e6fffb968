// Attacks on today's library changes (REPL state, the handle-based WASI path resolver, limits) by hostile programs,
// through the real components in their worker threads.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecError, Executor } from '../../build/host/index.js';

const scratchRoot = mkdtempSync(join(tmpdir(), 'attacks2-'));
const exec = new Executor({ poolSize: 1, scratchRoot });
afterAll(async () => {
  await exec.close();
  rmSync(scratchRoot, { recursive: true, force: true });
});

/** Python that makes a directory chain whose host path is longer than PATH_MAX (20 names of 249 characters: ~5,000). */
const deepDir = (top: string) => `import os
p = ${JSON.stringify(top)}
os.makedirs(p, exist_ok=True)
for i in range(20):
    p = p + "/" + ("d%02d" % i) * 83
    os.mkdir(p)
`;

async function outcome(pending: Promise<{ stdout: string }>) {
  try {
    return (await pending).stdout;
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    return `${error.tag}: ${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
}

describe('disk quota', () => {
  it("files below a path longer than PATH_MAX count against a session's quota in its later runs", async () => {
    // The reset after each run recounts the workspace by host path (join + readdirSync): past PATH_MAX readdir fails
    // with ENAMETOOLONG and the subtree counts as empty, so every run can write a whole quota again.
    await using session = await exec.session({ language: 'python', limits: { diskBytes: 1_000_000 } });
    const seen: string[] = [];
    for (const tag of ['a', 'b', 'c']) {
      // Once the quota is full, the upload of the next script is refused too (resource-exceeded): also a refusal.
      const uploaded = await session.upload(`w${tag}.py`, `${deepDir(tag)}
try:
    with open(p + "/big", "wb") as f: f.write(b"x" * 600_000)
    print("wrote")
except OSError as e:
    print("refused", e.errno)
`).then(() => true, (error) => {
        if (error instanceof ExecError && error.tag === 'resource-exceeded') return false;
        throw error;
      });
      seen.push(uploaded ? await outcome(session.run(`w${tag}.py`)) : 'refused: the upload');
    }
    // 3 x 600 kB under a 1 MB quota: the second write must be refused (ENOSPC).
    expect(seen).toEqual(['wrote\n', expect.stringMatching(/^refused/), expect.stringMatching(/^refused/)]);
  });

  it('a session with such a tree is removed entirely on close', async () => {
    const before = readdirSync(scratchRoot);
    const session = await exec.session({ language: 'python' });
    await session.upload('deep.py', `${deepDir('t')}\nopen(p + "/f", "w").write("x")\nprint("ok")`);
    expect(await outcome(session.run('deep.py'))).toBe('ok\n');
    await session.close();
    expect(readdirSync(scratchRoot)).toEqual(before);
  });
});

describe('REPL output cap', () => {
  // stdout and stderr are cut at outputBytes (1 MiB by default) by the host whatever the guest does; an evaluation's
  // value is output too (it goes back to the caller, over HTTP and MCP as well), so it must not carry more.
  const MiB = 2 ** 20;
  it.each([
    ['python', '"x" * 3_000_000'],
    ['javascript', '"x".repeat(3_000_000)'],
  ] as const)('%s: an evaluation value is cut at the output limit', async (language, code) => {
    await using session = await exec.session({ language });
    const result = await session.eval(code);
    expect(result.value!.length).toBeLessThanOrEqual(MiB + 200);
  });
});

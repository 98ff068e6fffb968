// Review of the pristine-runs change over HTTP: one real `golem-exec serve` with two bearer tokens and
// `--concurrency 1` (one warm sandbox per language, shared by both tokens' stateless runs). Each test FAILS on the code
// it was written against.
import { describe, expect, test } from 'vitest';
import { twoTokenServerPerTest } from './support/server.js';

const MiB = 1048576;

const start = twoTokenServerPerTest();

describe('review attacks over HTTP', () => {
  // Shows: the disk quota and file-size limit are request fields with no server-side ceiling (schema: minimum 0, no
  // maximum; `serve` has no --disk / --file-size): any token holder raises them and writes past the server's 256 MiB.
  test("a client cannot raise the disk quota past the server's", async () => {
    const { attacker } = await start();
    const answer = await attacker.post('/v1/run', {
      language: 'python',
      code: 'b = b"x" * (1 << 20)\nn = 0\ntry:\n    with open("big", "wb") as f:\n        for i in range(300):\n            f.write(b); n += 1\nexcept OSError as e:\n    print("refused", e)\nprint("wrote", n)\n',
      limits: { diskBytes: 2 ** 40, fileSizeBytes: 2 ** 40 },
    });
    const wroteAll = answer.status === 200 && String(answer.body?.stdout).includes('wrote 300');
    expect(wroteAll).toBe(false);
  });

  // Shows: token A learns how many files token B's run created: the Python guest reuses its run directory, the host
  // keeps it (empty) between runs, and a directory never shrinks (its st_size grows with the entries it once held).
  test("token A cannot read off the size of token B's run directory", async () => {
    const { attacker, victim } = await start();
    const probe = async () => (await attacker.post('/v1/run', { language: 'python', code: 'import os; print(os.stat(".").st_size)' })).body.stdout;
    const before = await probe();
    const ran = await victim.post('/v1/run', { language: 'python', code: 'for i in range(300):\n    open("secret-%d-%s" % (i, "x" * 100), "w").close()\n' });
    expect(ran.status).toBe(200);
    expect(await probe()).toBe(before);
  });

  // Shows: an `internal` error's message is not capped by the host; a program makes the Python runner raise one of
  // 5 MB after it ends, and the server sends it whole in a 500 answer.
  test('an internal error answer carries at most the output cap', async () => {
    const { attacker } = await start();
    const answer = await attacker.post('/v1/run', {
      language: 'python',
      code: 'import os\ndef boom(*a):\n    raise Exception("A" * 5_000_000)\nos.environ.clear = boom\n',
    });
    expect(answer.raw.length).toBeLessThanOrEqual(MiB + 1000);
  });
});

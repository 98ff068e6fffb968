// Issue 13 through the CLI: `golem-exec run` streams the program's output to its own stdout/stderr, so the output cap
// must hold there too, however the program writes (a real subprocess, real components; bytes are counted, not kept).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../host/bin/golem-exec.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'golem-exec-cli-caps-'));
const CAP = 1048576;
const SLACK = 200;

interface Counted {
  code: number | null;
  stdoutBytes: number;
  stderrBytes: number;
  /** The last KiB of each stream (where the truncation marker must be). */
  stdoutTail: string;
  stderrTail: string;
}

function run(file: string, content: string, args: string[] = []): Promise<Counted> {
  const path = join(dir, file);
  writeFileSync(path, content);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args, path], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Counted = { code: null, stdoutBytes: 0, stderrBytes: 0, stdoutTail: '', stderrTail: '' };
    child.stdout.on('data', (data: Buffer) => {
      out.stdoutBytes += data.length;
      out.stdoutTail = (out.stdoutTail + data.toString('latin1')).slice(-1024);
    });
    child.stderr.on('data', (data: Buffer) => {
      out.stderrBytes += data.length;
      out.stderrTail = (out.stderrTail + data.toString('latin1')).slice(-1024);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ...out, code }));
  });
}

const pyOsWrite = (fd: 1 | 2) => `import os\ndata = b"x" * 5_000_000\nn = 0\nwhile n < len(data):\n    n += os.write(${fd}, data[n:])\n`;

describe('golem-exec run: the output cap holds on the CLI\'s own stdout/stderr', () => {
  it('python os.write(1, b"x" * 5_000_000): at most the cap on stdout, then the marker', async () => {
    const result = await run('oswrite.py', pyOsWrite(1));
    expect(result.stdoutBytes).toBeLessThanOrEqual(CAP + SLACK);
    expect(result.stdoutTail).toContain(`[golem-exec: stdout truncated after ${CAP} bytes]`);
    expect(result.code).toBe(0);
  });

  it('python os.write(2, ...): at most the cap on stderr', async () => {
    const result = await run('oswrite2.py', pyOsWrite(2));
    expect(result.stderrBytes).toBeLessThanOrEqual(CAP + SLACK);
    expect(result.stderrTail).toContain(`[golem-exec: stderr truncated after ${CAP} bytes]`);
  });

  it('python sys.stdout.buffer.limit = 10**10, then 5 MB through print: at most the cap', async () => {
    const result = await run('limit.py', 'import sys\nb = sys.stdout.buffer\ngetattr(b, "raw", b).limit = 10**10\nsys.stdout.write("x" * 5_000_000)\n');
    expect(result.stdoutBytes).toBeLessThanOrEqual(CAP + SLACK);
    expect(result.stdoutTail).toContain(`[golem-exec: stdout truncated after ${CAP} bytes]`);
  });

  it('javascript with the guest\'s cap arithmetic disabled (Uint8Array.prototype.subarray): at most the cap', async () => {
    const result = await run('subarray.js', "Uint8Array.prototype.subarray = function () { return this; };\nprocess.stdout.write('x'.repeat(5e6));\n");
    expect(result.stdoutBytes).toBeLessThanOrEqual(CAP + SLACK);
    expect(result.stdoutTail).toContain(`[golem-exec: stdout truncated after ${CAP} bytes]`);
  });

  it('--json after sys.stdout.buffer.limit = 10**10: the printed result holds at most the cap of program output', async () => {
    const result = await run('limit-json.py', 'import sys\nb = sys.stdout.buffer\ngetattr(b, "raw", b).limit = 10**10\nsys.stdout.write("x" * 5_000_000)\n', ['--json']);
    // The JSON around the output is a few hundred bytes.
    expect(result.stdoutBytes).toBeLessThanOrEqual(CAP + SLACK + 4096);
    expect(result.stdoutTail).toContain(`[golem-exec: stdout truncated after ${CAP} bytes]`);
  });
});

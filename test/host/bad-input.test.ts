// Bad input a hostile or careless caller gives the library and the CLI (issue 14): every one is an OptionError naming
// the option and quoting (a cut) value, or a CLI usage error (one line, exit 2), before anything runs; never an
// `internal` error of the sandbox.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Executor, OptionError, type RunOptions } from '../../build/host/index.js';

const exec = new Executor({ poolSize: 1 });
afterAll(() => exec.close());

const main = { name: 'main.py', content: 'print("ran")' };
const withFile = (name: string): RunOptions => ({ language: 'python', files: [main, { name, content: 'x' }], entry: 'main.py' });

/** The OptionError `fn` throws (synchronously or as a rejection); fails the test if it throws anything else. */
async function optionError(fn: () => unknown): Promise<OptionError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, String((thrown as Error)?.message ?? 'nothing thrown')).toBeInstanceOf(OptionError);
  return thrown as OptionError;
}

describe('library: names, values and numbers that used to reach the sandbox', () => {
  const cases: [string, RunOptions, string, RegExp][] = [
    ['an env value containing NUL', { language: 'python', code: 'print(1)', env: { A: 'x\0y' } }, 'env.A', /NUL/],
    ['an argument containing NUL', { language: 'python', code: 'print(1)', args: ['a\0b'] }, 'args.0', /NUL/],
    ['a file named "."', withFile('.'), 'files.1.name', /"\."/],
    ['a file named ".."', withFile('..'), 'files.1.name', /"\.\."/],
    ['a file name containing NUL', withFile('a\0b'), 'files.1.name', /NUL/],
    ['an empty file name', withFile(''), 'files.1.name', /empty|non-empty/],
    ['a file name with an empty segment', withFile('a//b'), 'files.1.name', /"\/\/"|segment/],
    ['a file name ending in "/"', withFile('dir/'), 'files.1.name', /segment|"\/"/],
    ['a file name going up inside', withFile('a/../b'), 'files.1.name', /"\.\."/],
    ['an absolute file name', withFile('/etc/passwd'), 'files.1.name', /absolute|relative/],
    ['a 5,000-character file name', withFile('a'.repeat(5000)), 'files.1.name', /bytes/],
    ['a 300-character segment', withFile(`d/${'b'.repeat(300)}`), 'files.1.name', /bytes/],
    ['2,000 path segments', withFile(`${'a/'.repeat(2000)}x`), 'files.1.name', /deep|segments|bytes/],
    ['the same name twice', { language: 'python', files: [main, { name: 'main.py', content: 'print(2)' }] }, 'files.1.name', /twice|duplicate|already/],
    ['a name that is both a file and a directory', withFile('main.py/x'), 'files.1.name', /main\.py.*file/],
    ['cwd ".."', { language: 'python', files: [main], cwd: '..' }, 'cwd', /"\.\."/],
    ['cwd with NUL', { language: 'python', files: [main], cwd: 'a\0' }, 'cwd', /NUL/],
    ['a NaN time limit', { language: 'python', code: 'print(1)', limits: { timeMs: NaN } }, 'limits.timeMs', /\(NaN\).*number/],
    ['a negative disk quota', { language: 'python', code: 'print(1)', limits: { diskBytes: -1 } }, 'limits.diskBytes', /0 or more/],
    ['a huge file-size limit', { language: 'python', code: 'print(1)', limits: { fileSizeBytes: 1e300 } }, 'limits.fileSizeBytes', /whole number/],
    ['an array as code', { language: 'python', code: ['print(1)'] as any }, 'code', /string/],
    ['content that is not base64', { language: 'python', files: [main, { name: 'a.bin', content: '!!!', encoding: 'base64' }], entry: 'main.py' }, 'files.1.content', /"a\.bin" is not valid base64/],
    ['content that is not hex', { language: 'python', files: [main, { name: 'a.bin', content: 'abc', encoding: 'hex' }], entry: 'main.py' }, 'files.1.content', /"a\.bin" is not valid hex/],
    ['an unknown limit', { language: 'python', code: 'print(1)', limits: { cpuMs: 5 } } as any, 'limits.cpuMs', /unknown option/],
    ['an unknown option', { language: 'python', code: 'print(1)', timeout: 5 } as any, 'timeout', /unknown option/],
  ];

  it.each(cases)('%s', async (_what, options, option, reason) => {
    const error = await optionError(() => exec.run(options));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(reason);
    // The value is quoted, cut to a line a person can read.
    expect(error.message.length).toBeLessThan(300);
  });

  it('a file name that is fine is still accepted beside the checks (nested, dotted, 255-byte segments)', async () => {
    const long = `${'n'.repeat(251)}.txt`;
    const result = await exec.run({
      language: 'python',
      files: [
        { name: 'main.py', content: 'print(open("b64.bin", "rb").read(), open("hex.bin", "rb").read())' },
        { name: 'sub/dir/.hidden', content: 'a' }, { name: `d/${long}`, content: 'b' }, { name: 'x..y', content: 'c' },
        // Encoded content with line breaks, as base64 tools write it: decoded by the host, the same for both guests.
        { name: 'b64.bin', content: 'aGVs\nbG8=\n', encoding: 'base64' }, { name: 'hex.bin', content: '00 ff', encoding: 'hex' },
      ],
      entry: 'main.py',
    });
    expect(result.stdout).toBe("b'hello' b'\\x00\\xff'\n");
  });

  it('a session upload with a bad name is an OptionError too', async () => {
    const session = await exec.session({ language: 'python' });
    try {
      for (const name of ['.', '..', 'a'.repeat(5000), `${'a/'.repeat(2000)}x`, 'a\0b']) {
        const error = await optionError(() => session.upload(name, 'x'));
        expect(error.option).toBe('file.name');
      }
      expect(await session.listFiles()).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('an Executor option `pool` that is not a boolean is an OptionError naming it', async () => {
    for (const pool of ['no', 0, null]) {
      const error = await optionError(() => new Executor({ pool: pool as unknown as boolean }));
      expect(error.option).toBe('pool');
    }
  });

  // Shows (Session 7 review): a scratchRoot that is not a directory was accepted, and every run then failed with
  // Node's own ENOENT from mkdtemp instead of an OptionError.
  it('an Executor scratchRoot that is not an existing directory is an OptionError naming it', async () => {
    for (const scratchRoot of ['/missing/golem-exec-scratch', '', '/etc/hostname']) {
      const error = await optionError(() => new Executor({ scratchRoot }));
      expect(error.option).toBe('scratchRoot');
    }
  });
});

describe('CLI', () => {
  const BIN = fileURLToPath(new URL('../../host/bin/golem-exec.mjs', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'golem-exec-bad-input-'));

  function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (data) => {
        stdout += data;
        if (/listening/.test(stdout)) child.kill(); // a server that should have refused to start
      });
      child.stderr.on('data', (data) => (stderr += data));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('--file together with -e is a usage error (one line, exit 2), not silently ignored', async () => {
    writeFileSync(join(dir, 'extra.py'), 'X = 1\n');
    const result = await cli(['run', '--lang', 'python', '--file', join(dir, 'extra.py'), '-e', 'print("ran")']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--file.*--eval|--eval.*--file/);
  });

  it.each([['a list of blanks', ' , '], ['an empty value', '']])('serve refuses to start when GOLEM_EXEC_TOKEN is %s', async (_what, value) => {
    const result = await cli(['serve', '--port', '0'], { GOLEM_EXEC_TOKEN: value });
    expect(result.code).toBe(2);
    expect(result.stdout).not.toMatch(/listening/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/GOLEM_EXEC_TOKEN/);
  });

  it('serve refuses a --token that is blank or holds whitespace (no request could ever present it)', async () => {
    for (const token of ['  ', 'two words']) {
      const result = await cli(['serve', '--port', '0', '--token', token]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/--token/);
    }
  });
});

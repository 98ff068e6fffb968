// The CLI as a user runs it: a real subprocess, real components.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../host/bin/golem-exec.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'golem-exec-cli-'));

function write(name: string, content: string) {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr in the order the CLI wrote them. */
  merged: string;
}

function cli(args: string[], input?: string, onStdout?: (text: string, stdin: NodeJS.WritableStream) => void,
  env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out = { stdout: '', stderr: '', merged: '' };
    child.stdout.on('data', (data) => {
      out.stdout += data;
      out.merged += data;
      onStdout?.(out.stdout, child.stdin);
    });
    child.stderr.on('data', (data) => ((out.stderr += data), (out.merged += data)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...out }));
    if (input !== undefined) child.stdin.end(input);
    else if (!onStdout) child.stdin.end();
  });
}

describe('golem-exec run', () => {
  it('runs a Python file with args and stdin from a pipe; exit status is the program\'s', async () => {
    const file = write('echo.py', 'import sys\nprint(sys.argv[1:], sys.stdin.read().upper())\nsys.exit(5)\n');
    const result = await cli(['run', file, 'a', '--flag-for-program'], 'piped');
    expect(result).toMatchObject({ code: 5, stdout: "['a', '--flag-for-program'] PIPED\n", stderr: '' });
  });

  it('runs a JavaScript file with extra files and env', async () => {
    write('lib/helper.js', 'module.exports = (n) => n * 2;\n');
    const file = write('main.mjs', "import { createRequire } from 'node:module';\nconst helper = createRequire(import.meta.url)('./lib/helper.js');\nconsole.log(helper(21), process.env.GREETING);\n");
    const result = await cli(['run', '--env', 'GREETING=hi', '--file', join(dir, 'lib/helper.js'), file]);
    expect(result).toMatchObject({ code: 0, stdout: '42 hi\n' });
  });

  it.each([
    ['python', 'import sys\nprint("out1", flush=True)\nprint("err1", file=sys.stderr, flush=True)\nprint("out2", flush=True)'],
    ['javascript', 'console.log("out1"); console.error("err1"); console.log("out2")'],
  ])('streams %s output live in the order the program wrote it', async (language, code) => {
    // One pipe for both streams (2>&1), as a terminal would show them: two pipes could be read in either order.
    const program = write(`order.${language === 'python' ? 'py' : 'js'}`, code);
    const merged = await new Promise<string>((resolve, reject) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" run "${program}" 2>&1 </dev/null`], { cwd: dir });
      let out = '';
      child.stdout.on('data', (data) => (out += data));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    expect(merged).toBe('out1\nerr1\nout2\n');
  });

  it('reads the terminal\'s stdin interactively while the program runs', async () => {
    const code = "console.log('ready'); process.stdin.once('data', (d) => { console.log('got', String(d).trim()); process.exit(0); });";
    let answered = false;
    const result = await cli(['run', '--lang', 'javascript', '-e', code], undefined, (stdout, stdin) => {
      if (!answered && stdout.includes('ready')) {
        answered = true;
        stdin.write('typed\n');
      }
    });
    expect(result).toMatchObject({ code: 0, stdout: 'ready\ngot typed\n' });
  });

  it('takes stdin from a file', async () => {
    const input = write('input.txt', 'from a file');
    const result = await cli(['run', '--lang', 'python', '--stdin', input, '-e', 'import sys; print(sys.stdin.read())']);
    expect(result.stdout).toBe('from a file\n');
  });

  it('exits 124 on a timeout, like timeout(1)', async () => {
    const result = await cli(['run', '--lang', 'python', '--timeout', '1s', '-e', 'while True: pass']);
    expect(result.code).toBe(124);
    expect(result.stderr).toMatch(/timed out after 1000 ms/);
  });

  it('exits 1 with the diagnostic for compile and runtime failures', async () => {
    const compile = await cli(['run', '--lang', 'python', '-e', 'print(1']);
    expect(compile.code).toBe(1);
    expect(compile.stderr).toMatch(/SyntaxError/);
    const runtime = await cli(['run', '--lang', 'javascript', '-e', 'throw new Error("boom")']);
    expect(runtime.code).toBe(1);
    expect(runtime.stderr).toMatch(/Error: boom/);
  });

  it('runs TypeScript: a .ts file by its extension, -e with --lang ts / typescript, and --lang js / py', async () => {
    const file = write('typed.ts', 'enum Color { Red, Green }\nconst n: number = 2;\nconsole.log(Color.Green as number, n satisfies number);\n');
    expect(await cli(['run', file])).toMatchObject({ code: 0, stdout: '1 2\n' });
    for (const lang of ['ts', 'typescript']) {
      expect(await cli(['run', '--lang', lang, '-e', 'const who: string = "ts";\nconsole.log(who)'])).toMatchObject({ code: 0, stdout: 'ts\n' });
    }
    expect(await cli(['run', '--lang', 'js', '-e', 'console.log(typeof require)'])).toMatchObject({ code: 0, stdout: 'function\n' });
    expect(await cli(['run', '--lang', 'py', '-e', 'print(1 + 1)'])).toMatchObject({ code: 0, stdout: '2\n' });
  });

  it('prints the result as JSON with --json', async () => {
    const ok = await cli(['run', '--json', '--lang', 'javascript', '-e', 'console.log(1); process.exitCode = 2']);
    expect(ok.code).toBe(2);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, result: { stdout: '1\n', exitCode: 2 } });
    const failed = await cli(['run', '--json', '--lang', 'python', '--timeout', '500ms', '-e', 'while True: pass']);
    expect(failed.code).toBe(124);
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, error: { tag: 'timeout' } });
  });

  it.each([
    [['run', 'missing.py'], /cannot read missing\.py: no such file/],
    [['run', 'x.rb'], /cannot tell the language of 'x\.rb'/],
    [['run', '--lang', 'cobol', '-e', '1'], /unknown language 'cobol' \(use one of javascript, js, typescript, ts, python, py\)/],
    [['run', '--lang', 'TS', '-e', '1'], /unknown language 'TS'/],
    [['run', '--timeout', 'soon', '-e', '1', '--lang', 'python'], /--timeout: cannot read 'soon'/],
    [['run', '--memory', '12Q', '-e', '1', '--lang', 'python'], /--memory: cannot read '12Q'/],
    [['run', '--bogus'], /unknown option '--bogus'/],
    [['run', '-e', '1'], /--eval needs --lang/],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const result = await cli(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('loads an alternative component file named by EXEC_JS_QUICKJS_PATH / EXEC_PYTHON_WASI_PATH', async () => {
    const component = fileURLToPath(new URL('../../build/exec-javascript.wasm', import.meta.url));
    const result = await cli(['run', '--lang', 'javascript', '-e', 'console.log("alt")'], '', undefined, { EXEC_JS_QUICKJS_PATH: component });
    expect(result).toMatchObject({ code: 0, stdout: 'alt\n' });
    const missing = await cli(['run', '--lang', 'python', '-e', 'print(1)'], '', undefined, { EXEC_PYTHON_WASI_PATH: join(dir, 'none.wasm') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the component .*none\.wasm/);
  });

  it('has help for the program and each command', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: golem-exec/);
    const run = await cli(['run', '--help']);
    expect(run.stdout).toMatch(/--timeout <duration>/);
  });
});

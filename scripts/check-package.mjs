// The package as a user gets it: `npm pack` (its prepack builds what the package ships), the tarball installed into an
// empty temporary project (runtime dependencies only, from the local npm cache first), then per language a hello-world
// through the library (a .mjs importing 'golem-exec') and through the CLI (`npx golem-exec run hello.py` / `.js`),
// `golem-exec serve` answering one POST /v1/run, `golem-exec mcp` answering initialize and one tool call, and the
// package's .d.ts type-checked by a consumer with TypeScript 5.0 (no @types/node) and with the project's TypeScript
// and @types/node. Run by test/package.test.ts (so by `npm test`), with whatever `node` runs it; prints a JSON summary
// (tarball size, install and run times) on its last line and exits non-zero on the first failure.
//
//   node scripts/check-package.mjs [--keep]      --keep: leave the temporary project for a look
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './paths.mjs';

const KEEP = process.argv.includes('--keep');
// Child processes (npm, npx, the CLI's `#!/usr/bin/env node`) use the node running this script.
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_update_notifier: 'false' };
/** What the tarball must hold, and what it must not (path prefixes inside package/). */
const REQUIRED = ['build/host/index.js', 'build/host/index.d.ts', 'build/host/cli/main.js', 'build/host/toolchain.json',
  'build/jco/javascript/exec-javascript.js', 'build/jco/python/exec-python.js', 'build/exec-javascript.wasm',
  'build/exec-python.wasm', 'host/bin/golem-exec.mjs', 'package.json', 'README.md'];
const FORBIDDEN = ['test/', 'scripts/', 'components/', 'host/src/', 'host/wasmtime/', 'wit/', 'BENCHMARKS', 'build/bench/',
  'build/python-packages/', 'build/javascript/', '.ci/', 'vitest.config'];
/** Packages that are build-, test- or bench-only: none may reach a consumer. */
const DEV_ONLY = ['typescript', 'vitest', '@bytecodealliance/jco', '@bytecodealliance/componentize-js', 'isolated-vm', 'pyodide',
  'quickjs-emscripten', 'esbuild', '@bytecodealliance/preview2-shim'];

const times = {};
async function step(name, fn) {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    times[name] = Math.round(performance.now() - started);
  }
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', env: ENV, maxBuffer: 64 * 2 ** 20, ...options });
  if (result.error) throw new Error(`${cmd} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result.stdout;
}

function expectEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const PROGRAMS = {
  python: { file: 'hello.py', code: 'import sys\nprint("hello from python", sys.argv[1:])\n', expected: "hello from python ['x']\n" },
  javascript: { file: 'hello.js', code: 'console.log("hello from javascript", process.argv.slice(2));\n', expected: "hello from javascript [ 'x' ]\n" },
};

/** Packs the repository (prepack builds first); returns the tarball's path and npm's file list. */
async function pack(dir) {
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT }).replace(/^[^[]*/s, ''));
  const files = info.files.map((file) => file.path);
  const missing = REQUIRED.filter((path) => !files.includes(path));
  if (missing.length) throw new Error(`the tarball lacks ${missing.join(', ')}`);
  const extra = files.filter((path) => FORBIDDEN.some((prefix) => path.startsWith(prefix)) || path.endsWith('.map'));
  if (extra.length) throw new Error(`the tarball holds files a user does not need: ${extra.slice(0, 10).join(', ')}${extra.length > 10 ? ', …' : ''}`);
  return { tarball: join(dir, info.filename), size: info.size, unpackedSize: info.unpackedSize, entryCount: info.entryCount };
}

async function install(project, tarball) {
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'golem-exec-consumer', private: true, type: 'module' }, null, 2));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: project });
  const present = DEV_ONLY.filter((name) => existsSync(join(project, 'node_modules', name)));
  if (present.length) throw new Error(`installing the tarball brought build/test-only packages: ${present.join(', ')}`);
}

async function library(project) {
  await writeFile(join(project, 'hello.mjs'), `import { Executor } from 'golem-exec';
const exec = new Executor({ poolSize: 1 });
try {
  for (const [language, file, code] of ${JSON.stringify(Object.entries(PROGRAMS).map(([language, p]) => [language, p.file, p.code]))}) {
    const result = await exec.run({ language, files: [{ name: file, content: code }], args: ['x'] });
    process.stdout.write(JSON.stringify({ language, stdout: result.stdout, exitCode: result.exitCode }) + '\\n');
  }
} finally {
  await exec.close();
}
`);
  const lines = run(process.execPath, ['hello.mjs'], { cwd: project }).trim().split('\n').map((line) => JSON.parse(line));
  for (const [language, program] of Object.entries(PROGRAMS)) {
    const line = lines.find((l) => l.language === language);
    expectEqual(line?.stdout, program.expected, `library ${language} stdout`);
    expectEqual(line?.exitCode, 0, `library ${language} exit code`);
  }
}

async function cli(project) {
  for (const [language, program] of Object.entries(PROGRAMS)) {
    await writeFile(join(project, program.file), program.code);
    expectEqual(run('npx', ['--no-install', 'golem-exec', 'run', program.file, 'x'], { cwd: project }), program.expected,
      `npx golem-exec run ${program.file} (${language})`);
  }
}

/** Starts a long-running CLI command; resolves with the child and a line reader of its stdout. */
function startCommand(project, args) {
  const child = spawn(process.execPath, [join(project, 'node_modules', 'golem-exec', 'host', 'bin', 'golem-exec.mjs'), ...args],
    { cwd: project, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const queue = [];
  const waiters = [];
  lines.on('line', (line) => (waiters.length ? waiters.shift()(line) : queue.push(line)));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const nextLine = (what, timeoutMs = 60_000) => queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]}: no ${what} within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    waiters.push((line) => (clearTimeout(timer), resolve(line)));
    exited.then((code) => reject(new Error(`${args[0]} exited (${code}) before ${what}; stderr: ${stderr}`)));
  });
  return { child, nextLine, stop: async () => (child.kill('SIGTERM'), await exited) };
}

async function serve(project) {
  const server = startCommand(project, ['serve', '--port', '0']);
  try {
    const line = await server.nextLine('listening line');
    const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
    if (!url) throw new Error(`serve printed ${JSON.stringify(line)}`);
    const response = await fetch(`${url}/v1/run`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'python', code: 'print(6 * 7)' }) });
    const body = await response.json();
    expectEqual(response.status, 200, 'serve /v1/run status');
    expectEqual(body.stdout, '42\n', 'serve /v1/run stdout');
  } finally {
    await server.stop();
  }
}

async function mcp(project) {
  const server = startCommand(project, ['mcp']);
  const send = (message) => server.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
  try {
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'check-package', version: '0' } } });
    const init = JSON.parse(await server.nextLine('initialize answer'));
    expectEqual(init.result?.serverInfo?.name, 'golem-exec', 'mcp initialize serverInfo.name');
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'run_javascript', arguments: { code: 'console.log(6 * 7)' } } });
    const call = JSON.parse(await server.nextLine('tools/call answer'));
    expectEqual(call.result?.structuredContent?.stdout, '42\n', 'mcp run_javascript stdout');
    expectEqual(call.result?.isError ?? false, false, 'mcp run_javascript isError');
  } finally {
    await server.stop();
  }
}

/** The consumer's TypeScript: the public API used the way the README shows, type-checked without emitting. */
const CONSUMER_TS = `import { Executor, ExecError, OptionError, LANGUAGES, run, type RunResult, type StreamEvent, type Language } from 'golem-exec';

export async function main(): Promise<string> {
  const exec = new Executor({ poolSize: 1 });
  const languages: readonly Language[] = LANGUAGES;
  const result: RunResult = await exec.run({ language: languages[0] ?? 'python', code: 'print(1)', limits: { timeMs: 1000 } });
  const stream = exec.stream({ language: 'javascript', code: 'console.log(1)' });
  for await (const event of stream) if (event.type !== 'finished') (event satisfies StreamEvent).data;
  const session = await exec.session({ language: 'python' });
  await session.upload('data.bin', new Uint8Array([1, 2, 3]));
  await session.upload({ name: 'main.py', content: 'print(1)' });
  const bytes: Uint8Array = await session.download('data.bin');
  await session[Symbol.asyncDispose]();
  try {
    await run({ language: 'python', code: 'raise SystemExit(3)' });
  } catch (error) {
    if (error instanceof ExecError) return error.tag;
    if (error instanceof OptionError) return error.message;
  }
  await exec.close();
  return result.stdout + bytes.length;
}
`;

async function typecheck(project) {
  await writeFile(join(project, 'consumer.ts'), CONSUMER_TS);
  const configs = {
    // TypeScript 5.0 as it comes, no @types/node (nodenext: the resolution an ESM package needs; lib: the default).
    'typescript-5.0': { typescript: 'typescript-5.0', compilerOptions: { types: [] } },
    // The project's TypeScript with its own disposable lib and @types/node, both declaring Symbol.asyncDispose as the
    // package does: the declarations merge.
    'typescript (project) + @types/node': { typescript: 'typescript', compilerOptions: { types: ['node'], lib: ['es2022', 'esnext.disposable', 'dom'] } },
  };
  for (const [name, config] of Object.entries(configs)) {
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, skipLibCheck: false,
        typeRoots: [join(ROOT, 'node_modules', '@types')], ...config.compilerOptions },
      files: ['consumer.ts'],
    }, null, 2));
    const tsc = join(ROOT, 'node_modules', config.typescript, 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8', env: ENV });
    if (result.status !== 0) throw new Error(`the package's types do not type-check with ${name}:\n${result.stdout}${result.stderr}`);
  }
}

async function main() {
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'golem-exec-package-'));
  const project = join(work, 'consumer');
  await mkdir(project);
  try {
    const packed = await step('packMs', () => pack(work));
    await step('installMs', () => install(project, packed.tarball));
    await step('libraryMs', () => library(project));
    await step('cliMs', () => cli(project));
    await step('serveMs', () => serve(project));
    await step('mcpMs', () => mcp(project));
    await step('typecheckMs', () => typecheck(project));
    const lock = JSON.parse(await readFile(join(project, 'node_modules', '.package-lock.json'), 'utf8'));
    const summary = {
      node: process.versions.node,
      tarballBytes: packed.size,
      unpackedBytes: packed.unpackedSize,
      files: packed.entryCount,
      installedPackages: Object.keys(lock.packages).filter((path) => path.startsWith('node_modules/')).length,
      ...times,
      totalMs: Math.round(performance.now() - started),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    if (KEEP) process.stderr.write(`kept ${work}\n`);
    else await rm(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`check-package: ${error.stack ?? error}\n`);
  process.exit(1);
}

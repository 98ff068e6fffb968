// A file-heavy program against a read-write mount: 2,000 small files created, stat'ed, read back and removed in a
// directory two levels below the mount, in a session (one warm instance), timed per run. For the cost of the host's
// path resolution (host/src/engine/wasi/paths*.ts).
// Usage: node <node flags> scripts/bench/fs-heavy.mjs [runs] [host build directory, default build/host]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const hostBuild = resolve(process.argv[3] ?? new URL('../../build/host', import.meta.url).pathname);
const { Executor } = await import(pathToFileURL(join(hostBuild, 'index.js')).href);

const RUNS = Number(process.argv[2] ?? 3);
const FILES = 2000;
const programs = {
  python: ['main.py', `import os
d = '/out/a/b'
os.makedirs(d, exist_ok=True)
for i in range(${FILES}):
    with open(f'{d}/f{i}.txt', 'w') as f: f.write('x' * 100)
total = 0
for i in range(${FILES}):
    os.stat(f'{d}/f{i}.txt')
    with open(f'{d}/f{i}.txt') as f: total += len(f.read())
for i in range(${FILES}):
    os.remove(f'{d}/f{i}.txt')
print(total)`],
  javascript: ['main.js', `const fs = require('fs');
const d = '/out/a/b';
fs.mkdirSync(d, { recursive: true });
for (let i = 0; i < ${FILES}; i++) fs.writeFileSync(d + '/f' + i + '.txt', 'x'.repeat(100));
let total = 0;
for (let i = 0; i < ${FILES}; i++) { fs.statSync(d + '/f' + i + '.txt'); total += fs.readFileSync(d + '/f' + i + '.txt', 'utf8').length; }
for (let i = 0; i < ${FILES}; i++) fs.unlinkSync(d + '/f' + i + '.txt');
console.log(total);`],
};

const dir = mkdtempSync(join(tmpdir(), 'golem-exec-fs-heavy-'));
const exec = new Executor({ poolSize: 1 });
try {
  for (const [language, [name, code]] of Object.entries(programs)) {
    const out = join(dir, language);
    mkdirSync(out);
    const session = await exec.session({ language, mounts: [{ hostPath: out, guestPath: '/out', readOnly: false }], limits: { timeMs: 120_000 } });
    await session.upload(name, code);
    const times = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const result = await session.run(name);
        times.push(performance.now() - start);
        if (result.stdout.trim() !== String(FILES * 100)) throw new Error(`unexpected output: ${result.stdout} ${result.stderr}`);
      }
    } finally {
      await session.close();
    }
    times.sort((a, b) => a - b);
    console.log(`${language}: ${FILES} files created, stat'ed, read, removed: median ${times[times.length >> 1].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}) over ${RUNS} runs`);
  }
} finally {
  await exec.close();
  rmSync(dir, { recursive: true, force: true });
}

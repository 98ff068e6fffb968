// Host directory mounts through the library: real components, real host directories. A read-only mount can be read
// and listed but not changed (the host refuses, whatever the guest does); a read-write mount can be written; nothing
// outside the mounts and the sandbox's own files is reachable.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Executor, OptionError, type Language, type Mount } from '../../build/host/index.js';

const exec = new Executor({ poolSize: 1 });
const root = mkdtempSync(join(tmpdir(), 'golem-exec-mounts-'));
afterAll(async () => {
  await exec.close();
  rmSync(root, { recursive: true, force: true });
});

// root/data (mounted read-only at /data): x.csv, sub/y.txt, empty/, and two symlinks that point out of it.
const data = join(root, 'data');
mkdirSync(join(data, 'sub'), { recursive: true });
mkdirSync(join(data, 'empty'));
writeFileSync(join(data, 'x.csv'), 'a,b\n1,2\n');
writeFileSync(join(data, 'sub', 'y.txt'), 'why');
const outside = join(root, 'outside.txt');
writeFileSync(outside, 'secret outside the mount');
symlinkSync(outside, join(data, 'abs-link'));
symlinkSync('../outside.txt', join(data, 'rel-link'));

const readOnly: Mount = { hostPath: data, guestPath: '/data' };

function readWriteDir(name: string): { dir: string; mount: Mount } {
  const dir = join(root, name);
  mkdirSync(dir);
  return { dir, mount: { hostPath: dir, guestPath: '/out', readOnly: false } };
}

/** Every path below `dir` with its content (or its link target), to show a program changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const key = path.slice(dir.length + 1);
    if (entry.isSymbolicLink()) out[key] = `-> ${readlinkSync(path)}`;
    else if (entry.isFile()) out[key] = `${readFileSync(path, 'utf8')} @${statSync(path).mtimeMs}`;
    else out[key] = 'dir';
  }
  return out;
}

const lines = (text: string) => text.trim().split('\n');

const programs = {
  readAndList: {
    javascript: `const fs = require('fs');
console.log(JSON.stringify(fs.readFileSync('/data/x.csv', 'utf8')));
console.log(fs.readdirSync('/data').join(' '));
console.log(fs.readdirSync('/data/sub').join(' '), fs.statSync('/data/sub/y.txt').size, fs.existsSync('/data/nope'));`,
    python: `import json, os, pathlib
print(json.dumps(open('/data/x.csv').read()))
print(' '.join(sorted(p.name for p in pathlib.Path('/data').iterdir() if not p.is_symlink())))
print(' '.join(os.listdir('/data/sub')), os.path.getsize('/data/sub/y.txt'), str(os.path.exists('/data/nope')).lower())`,
  },
  // Each attempt prints its label and the error code it failed with (or "succeeded").
  mutate: {
    javascript: `const fs = require('fs');
const attempt = (label, fn) => { try { fn(); console.log(label, 'succeeded'); } catch (e) { console.log(label, e.code); } };
attempt('create', () => fs.writeFileSync('/data/new.txt', 'x'));
attempt('overwrite', () => fs.writeFileSync('/data/x.csv', 'x'));
attempt('append', () => fs.appendFileSync('/data/sub/y.txt', 'x'));
attempt('delete', () => fs.unlinkSync('/data/x.csv'));
attempt('rename', () => fs.renameSync('/data/x.csv', '/data/renamed.csv'));
attempt('mkdir', () => fs.mkdirSync('/data/newdir'));
attempt('rmdir', () => fs.rmdirSync('/data/empty'));
attempt('rm-tree', () => fs.rmSync('/data/sub', { recursive: true }));`,
    python: `import errno, os, pathlib, shutil
def attempt(label, fn):
    try:
        fn()
        print(label, 'succeeded')
    except OSError as e:
        print(label, errno.errorcode.get(e.errno, e.errno))
attempt('create', lambda: open('/data/new.txt', 'w'))
attempt('overwrite', lambda: open('/data/x.csv', 'w'))
attempt('append', lambda: pathlib.Path('/data/sub/y.txt').open('a').write('x'))
attempt('delete', lambda: os.remove('/data/x.csv'))
attempt('rename', lambda: os.rename('/data/x.csv', '/data/renamed.csv'))
attempt('mkdir', lambda: os.mkdir('/data/newdir'))
attempt('rmdir', lambda: os.rmdir('/data/empty'))
attempt('rm-tree', lambda: shutil.rmtree('/data/sub'))`,
  },
  // Each attempt prints "blocked" with the error, or what it read.
  escape: (unmounted: string) => ({
    javascript: `const fs = require('fs');
for (const path of ['/data/../etc/passwd', '/etc/passwd', '/data/abs-link', '/data/rel-link', ${JSON.stringify(unmounted)}, '/data/../outside.txt']) {
  try { console.log(path, 'read', fs.readFileSync(path, 'utf8')); } catch (e) { console.log(path, 'blocked', e.code); }
}`,
    python: `for path in ['/data/../etc/passwd', '/etc/passwd', '/data/abs-link', '/data/rel-link', ${JSON.stringify(unmounted)}, '/data/../outside.txt']:
    try:
        print(path, 'read', open(path).read())
    except OSError as e:
        print(path, 'blocked', type(e).__name__)`,
  }),
  readWrite: {
    javascript: `const fs = require('fs');
fs.mkdirSync('/out/dir');
fs.writeFileSync('/out/dir/result.txt', 'from javascript');
fs.appendFileSync('/out/dir/result.txt', '!');
fs.writeFileSync('/out/gone.txt', 'x'); fs.unlinkSync('/out/gone.txt');
fs.writeFileSync('/out/a.txt', 'a'); fs.renameSync('/out/a.txt', '/out/b.txt');
console.log(fs.readdirSync('/out').join(' '));`,
    python: `import os
os.mkdir('/out/dir')
with open('/out/dir/result.txt', 'w') as f: f.write('from python')
with open('/out/dir/result.txt', 'a') as f: f.write('!')
open('/out/gone.txt', 'w').close(); os.remove('/out/gone.txt')
open('/out/a.txt', 'w').write('a'); os.rename('/out/a.txt', '/out/b.txt')
print(' '.join(sorted(os.listdir('/out'))))`,
  },
} as const;

const MUTATIONS = ['create', 'overwrite', 'append', 'delete', 'rename', 'mkdir', 'rmdir', 'rm-tree'];

describe.each(['javascript', 'python'] as Language[])('%s with host mounts', (language) => {
  it('reads a mounted file and lists the mount at its guest path', async () => {
    const result = await exec.run({ language, code: programs.readAndList[language], mounts: [readOnly] });
    // Symlinks are not listed by the JS runtime (it never follows them); the Python program filters them out.
    expect(lines(result.stdout)).toEqual(['"a,b\\n1,2\\n"', 'empty sub x.csv', 'y.txt 3 false']);
  });

  it('refuses every change to a read-only mount with EROFS and leaves the host directory unchanged', async () => {
    const before = snapshot(data);
    const result = await exec.run({ language, code: programs.mutate[language], mounts: [readOnly] });
    expect(lines(result.stdout)).toEqual(MUTATIONS.map((label) => `${label} EROFS`));
    expect(snapshot(data)).toEqual(before);
  });

  it('writes, appends, renames and deletes in a read-write mount, and the host sees the files', async () => {
    const { dir, mount } = readWriteDir(`rw-${language}`);
    const result = await exec.run({ language, code: programs.readWrite[language], mounts: [readOnly, mount] });
    expect(result.stdout).toBe('b.txt dir\n');
    expect(readFileSync(join(dir, 'dir', 'result.txt'), 'utf8')).toBe(`from ${language}!`);
    expect(readdirSync(dir).sort()).toEqual(['b.txt', 'dir']);
  });

  it('cannot leave the mount: .., other absolute paths, symlinks pointing out, unmounted host paths', async () => {
    const result = await exec.run({ language, code: programs.escape(outside)[language], mounts: [readOnly] });
    const outcome = lines(result.stdout).map((line) => line.split(' ')[1]);
    expect(outcome).toEqual(Array(6).fill('blocked'));
    expect(result.stdout).not.toContain('secret');
    expect(result.stdout).not.toContain('root:');
  });

  it('a run without mounts does not see a mount of an earlier run', async () => {
    await exec.run({ language, code: programs.readAndList[language], mounts: [readOnly] });
    const code = language === 'python'
      ? "try:\n    open('/data/x.csv')\n    print('read')\nexcept OSError as e:\n    print(type(e).__name__)"
      : "try { require('fs').readFileSync('/data/x.csv'); console.log('read'); } catch (e) { console.log(e.code); }";
    const result = await exec.run({ language, code });
    expect(result.stdout).toBe(language === 'python' ? 'PermissionError\n' : 'EACCES\n');
  });

  it('streams a run with mounts', async () => {
    const stream = exec.stream({ language, code: programs.readAndList[language], mounts: [readOnly] });
    const result = await stream.result;
    expect(lines(result.stdout)[0]).toBe('"a,b\\n1,2\\n"');
  });

  it('mounts into a session: every run sees them, writes persist on the host, session files are apart', async () => {
    const { dir, mount } = readWriteDir(`session-${language}`);
    await using session = await exec.session({ language, mounts: [readOnly, mount] });
    const [name, code] = language === 'python'
      ? ['main.py', `import os
rows = open('/data/x.csv').read().splitlines()
n = len(os.listdir('/out'))
open(f'/out/run{n}.txt', 'w').write(rows[1])
try:
    open('/data/x.csv', 'a')
except OSError as e:
    print(os.strerror(e.errno))
print(sorted(os.listdir('/out')))`]
      : ['main.js', `const fs = require('fs');
const rows = fs.readFileSync('/data/x.csv', 'utf8').trim().split('\\n');
const n = fs.readdirSync('/out').length;
fs.writeFileSync('/out/run' + n + '.txt', rows[1]);
try { fs.appendFileSync('/data/x.csv', 'x'); } catch (e) { console.log(e.code); }
console.log(JSON.stringify(fs.readdirSync('/out')));`];
    await session.upload(name, code);
    await session.run(name);
    const second = await session.run(name);
    expect(lines(second.stdout)).toEqual(language === 'python'
      ? ['Read-only file system', "['run0.txt', 'run1.txt']"]
      : ['EROFS', '["run0.txt","run1.txt"]']);
    expect(readFileSync(join(dir, 'run1.txt'), 'utf8')).toBe('1,2');
    expect(await session.listFiles('.')).toEqual([name]);
  });
});

describe('the host enforces a read-only mount, not the guest', () => {
  it('with the Python guest\'s own path guard switched off by the program, changes and escapes still fail', async () => {
    const before = snapshot(data);
    const code = `import sys
sys.modules['golem_exec.sandbox']._active = False   # user code can reach the guest's guard: it is not the boundary
${programs.mutate.python}
${programs.escape(outside).python}`;
    const result = await exec.run({ language: 'python', code, mounts: [readOnly] });
    const output = lines(result.stdout);
    expect(output.slice(0, MUTATIONS.length)).toEqual(MUTATIONS.map((label) => `${label} EROFS`));
    expect(output.slice(MUTATIONS.length).map((line) => line.split(' ')[1])).toEqual(Array(6).fill('blocked'));
    expect(result.stdout).not.toContain('secret');
    expect(snapshot(data)).toEqual(before);
  });
});

describe('escape vectors through the guest\'s own filesystem calls', () => {
  it('python: hard link out of a read-only mount, symlinks made to point out, .. through a symlink', async () => {
    const { dir, mount } = readWriteDir('vectors-python');
    // Guests make no symlinks (symlink-at is refused): the host put this one there.
    symlinkSync('a', join(dir, 'chain'));
    const code = `import os, sys
sys.modules['golem_exec.sandbox']._active = False   # the host is the boundary, not the guest's own guard
def attempt(label, fn):
    try:
        result = fn()
        print(label, 'succeeded', repr(result)[:40])
    except OSError as e:
        print(label, 'blocked', type(e).__name__)
attempt('hard-link-out', lambda: os.link('/data/x.csv', '/out/x.csv'))
attempt('symlink-abs', lambda: os.symlink('${root}/outside.txt', '/out/abs'))
attempt('symlink-up', lambda: os.symlink('../outside.txt', '/out/up'))
attempt('symlink-in', lambda: os.symlink('a', '/out/in'))
attempt('read-rel-link', lambda: open('/data/rel-link').read())
attempt('dotdot-via-link', lambda: open('/data/sub/../rel-link/../x.csv').read())
os.mkdir('/out/a')
attempt('chain-inside', lambda: open('/out/chain/../a/../chain/../../outside.txt').read())`;
    const result = await exec.run({ language: 'python', code, mounts: [readOnly, mount] });
    expect(lines(result.stdout).map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
      'hard-link-out blocked', 'symlink-abs blocked', 'symlink-up blocked', 'symlink-in blocked', 'read-rel-link blocked',
      'dotdot-via-link blocked', 'chain-inside blocked',
    ]);
    expect(result.stdout).not.toContain('secret');
    expect(readdirSync(dir).sort()).toEqual(['a', 'chain']);
  });
});

describe('mount options', () => {
  const file = join(root, 'a-file.txt');
  writeFileSync(file, '');
  it.each([
    [{ hostPath: join(root, 'missing'), guestPath: '/data' }, 'mounts.0.hostPath', 'no such directory'],
    [{ hostPath: file, guestPath: '/data' }, 'mounts.0.hostPath', 'not a directory'],
    [{ hostPath: data, guestPath: 'data' }, 'mounts.0.guestPath', 'absolute path'],
    [{ hostPath: data, guestPath: '/' }, 'mounts.0.guestPath', 'root directory'],
    [{ hostPath: data, guestPath: '/workspace' }, 'mounts.0.guestPath', '/workspace'],
    [{ hostPath: data, guestPath: '/workspace/data' }, 'mounts.0.guestPath', '/workspace'],
    [{ hostPath: data, guestPath: '/data/../etc' }, 'mounts.0.guestPath', 'normalised'],
    [{ hostPath: data, guestPath: '/data/' }, 'mounts.0.guestPath', 'normalised'],
    [{ hostPath: data, guestPath: '/data', writable: true }, 'mounts.0.writable', 'unknown option "writable"'],
  ])('rejects %j naming %s', async (mount, option, reason) => {
    const error = await exec.run({ language: 'python', code: '', mounts: [mount as Mount] }).catch((e) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect(error.option).toBe(option);
    expect(error.message).toContain(reason);
  });

  it('rejects a guest path mounted twice or inside another mount, for runs and sessions', async () => {
    const twice = await exec.run({ language: 'python', code: '', mounts: [readOnly, { hostPath: root, guestPath: '/data' }] }).catch((e) => e);
    expect(twice).toBeInstanceOf(OptionError);
    expect(twice.message).toBe(`invalid option mounts.1.guestPath ("/data"): mounted twice`);
    const nested = await exec.session({ language: 'javascript', mounts: [readOnly, { hostPath: root, guestPath: '/data/more' }] }).catch((e) => e);
    expect(nested).toBeInstanceOf(OptionError);
    expect(nested.message).toContain('overlaps the mount at /data');
  });
});

describe('golem-exec run --mount', () => {
  const BIN = fileURLToPath(new URL('../../host/bin/golem-exec.mjs', import.meta.url));
  const cli = (args: string[]) => spawnSync(process.execPath, [BIN, 'run', ...args], { encoding: 'utf8', input: '' });

  it('mounts HOST:GUEST read-only and HOST:GUEST:rw read-write', () => {
    const { dir } = readWriteDir('cli-rw');
    const code = `import os
print(open('/data/x.csv').read().splitlines()[1])
open('/out/cli.txt', 'w').write('via cli')
try:
    open('/data/x.csv', 'w')
except OSError as e:
    print(os.strerror(e.errno))`;
    const result = cli(['--mount', `${data}:/data`, '--mount', `${dir}:/out:rw`, '--lang', 'python', '-e', code]);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 0, stdout: '1,2\nRead-only file system\n' });
    expect(readFileSync(join(dir, 'cli.txt'), 'utf8')).toBe('via cli');
  });

  it.each([
    [['--mount', '/data'], '--mount /data: expected HOST:GUEST or HOST:GUEST:rw'],
    [['--mount', `${join(root, 'missing')}:/data`], 'mounts.0.hostPath'],
  ])('%j is a usage error (exit 2, one line)', (flags, message) => {
    const result = cli([...flags, '--lang', 'python', '-e', 'print(1)']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(lines(result.stderr)).toHaveLength(1);
  });
});

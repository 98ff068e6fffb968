// Attacks on a read-write mount shared by concurrent runs, through the library with the real components (issue 14):
// - the check-then-open race: one run swaps a directory of the mount for a symlink that points out of it, over and
//   over, while another run opens paths through that directory, to read a file outside the mount and to create one;
// - planting by rename: a symlink created where it points inside, then renamed so that it points outside.
// The host must never follow a symlink out of a mount, however the entries around it change, and a guest must not
// leave an outward symlink behind on the host (where the host or another program would follow it).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Executor, type Language, type Mount } from '../../build/host/index.js';

const exec = new Executor({ poolSize: 1 });
const root = mkdtempSync(join(tmpdir(), 'golem-exec-race-'));
afterAll(async () => {
  await exec.close();
  rmSync(root, { recursive: true, force: true });
});

const SECRET = 'SECRET-OUTSIDE-THE-MOUNT';
/** How long each side of the race keeps at it (the old resolver lost the race in ~0.5-2 s). */
const RACE_SECONDS = 4;
const limits = { timeMs: 60_000 };

/** A fresh read-write mount `<root>/<name>/mnt` at /out, with a secret file next to it (outside). */
function sharedMount(name: string): { dir: string; outside: string; mount: Mount } {
  const outside = join(root, name);
  const dir = join(outside, 'mnt');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  return { dir, outside, mount: { hostPath: dir, guestPath: '/out', readOnly: false } };
}

/** Every symlink below `dir` whose target, read from where the link is, lies outside `dir`. */
function outwardLinks(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = join(entry.parentPath, entry.name);
    const target = resolve(dirname(link), readlinkSync(link));
    if (relative(dir, target).startsWith('..')) found.push(relative(dir, link));
  }
  return found;
}

// The flipper (a Python program: the attacker picks the guest whose renames are fastest) swaps /out/p between a
// directory and `evil`, a symlink to the mount's parent, until the prober writes /out/stop (or its time is up). It
// prints how many swaps it made.
const flipper = `import os, sys, time
sys.modules['golem_exec.sandbox']._active = False   # the host is the boundary, not the guest's own guard
os.chdir('/out')
open('flipping', 'w').close()
end = time.time() + ${RACE_SECONDS * 3}
n = 0
while time.time() < end and not (n % 64 == 0 and os.path.exists('stop')):
    os.rename('p', 'stash'); os.rename('evil', 'p'); os.rename('p', 'evil'); os.rename('stash', 'p')
    n += 1
print('swaps', n)`;

// The prober waits for the flipper, then reads /out/p/secret.txt and creates /out/p/created.txt in a loop. Through
// the directory the file does not exist; through the symlink it is the secret outside the mount.
const prober: Record<Language, string> = {
  python: `import os, sys, time
sys.modules['golem_exec.sandbox']._active = False
wait = time.time() + 30
while not os.path.exists('/out/flipping') and time.time() < wait:
    time.sleep(0.01)
end = time.time() + ${RACE_SECONDS}
tries = 0
while time.time() < end:
    tries += 1
    try:
        print('LEAK', open('/out/p/secret.txt').read())
    except OSError:
        pass
    try:
        open('/out/p/created.txt', 'w').close()
    except OSError:
        pass
open('/out/stop', 'w').close()
print('tries', tries)`,
  javascript: `const fs = require('fs');
const wait = Date.now() + 30000;
while (!fs.existsSync('/out/flipping') && Date.now() < wait) {}
const end = Date.now() + ${RACE_SECONDS} * 1000;
let tries = 0;
while (Date.now() < end) {
  tries++;
  try { console.log('LEAK', fs.readFileSync('/out/p/secret.txt', 'utf8')); } catch {}
  try { fs.writeFileSync('/out/p/created.txt', ''); } catch {}
}
fs.writeFileSync('/out/stop', '');
console.log('tries', tries);`,
};

describe.each(['python', 'javascript'] as Language[])('a %s run racing another run on a shared read-write mount', (language) => {
  it('never reads a file outside the mount nor creates one there while a directory is swapped for an outward symlink', async () => {
    const { dir, outside, mount } = sharedMount(`race-${language}`);
    mkdirSync(join(dir, 'p'));
    // An outward symlink in the mount: the host's own, or one a guest planted (see below). The sandbox must never
    // follow it, however it is moved around.
    symlinkSync('..', join(dir, 'evil'));
    const [flip, probe] = await Promise.all([
      exec.run({ language: 'python', code: flipper, mounts: [mount], limits }),
      exec.run({ language, code: prober[language], mounts: [mount], limits }),
    ]);
    expect(flip.stderr).toBe('');
    expect(probe.stderr).toBe('');
    // Both sides did their part (the flipper swapped while the prober was trying).
    expect(Number(flip.stdout.match(/^swaps (\d+)$/m)?.[1])).toBeGreaterThan(0);
    expect(Number(probe.stdout.match(/^tries (\d+)$/m)?.[1])).toBeGreaterThan(0);
    expect(probe.stdout).not.toContain(SECRET);
    expect(probe.stdout).not.toContain('LEAK');
    expect(readdirSync(outside).sort()).toEqual(['mnt', 'secret.txt']);
    expect(existsSync(join(outside, 'created.txt'))).toBe(false);
    // The prober's path works when it meets the directory: it created the file there.
    expect(existsSync(join(dir, 'p', 'created.txt'))).toBe(true);
  });
});

describe('planting an outward symlink by rename', () => {
  it('python: a symlink made where it points inside, renamed to point outside, is neither followed nor left on the host', async () => {
    const { dir, mount } = sharedMount('plant');
    const code = `import os, sys
sys.modules['golem_exec.sandbox']._active = False   # the host is the boundary, not the guest's own guard
os.makedirs('/out/a/b')
def attempt(label, fn):
    try:
        result = fn()
        print(label, 'succeeded', repr(result)[:60])
    except OSError as e:
        print(label, 'blocked', type(e).__name__)
attempt('symlink', lambda: os.symlink('../../secret.txt', '/out/a/b/l'))   # /out/secret.txt: inside
attempt('rename', lambda: os.rename('/out/a/b/l', '/out/a/l'))             # now <mount>/../secret.txt: outside
attempt('read', lambda: open('/out/l').read())`;
    const planted = await exec.run({ language: 'python', code, mounts: [mount], limits });
    expect(planted.stdout).not.toContain(SECRET);
    expect(planted.stdout).toMatch(/^read blocked/m);
    // Nothing the host (or the next program on this directory) would follow out of the mount.
    expect(outwardLinks(dir)).toEqual([]);

    // Other runs sharing the mount, in either language, cannot read through whatever the planter left.
    const readers: Record<Language, string> = {
      python: `import sys
sys.modules['golem_exec.sandbox']._active = False
for path in ['/out/a/l', '/out/a/b/l']:
    try:
        print(path, 'read', open(path).read())
    except OSError as e:
        print(path, 'blocked', type(e).__name__)`,
      javascript: `const fs = require('fs');
for (const path of ['/out/a/l', '/out/a/b/l']) {
  try { console.log(path, 'read', fs.readFileSync(path, 'utf8')); } catch (e) { console.log(path, 'blocked', e.code); }
}`,
    };
    for (const language of ['python', 'javascript'] as Language[]) {
      const result = await exec.run({ language, code: readers[language], mounts: [mount], limits });
      expect(result.stdout).not.toContain(SECRET);
      expect(result.stdout.trim().split('\n').map((line) => line.split(' ')[1])).toEqual(['blocked', 'blocked']);
    }
  });

  it('python: no symlink can be created in a read-write mount or the workspace, so none is there to be moved', async () => {
    const { dir, mount } = sharedMount('no-symlinks');
    const code = `import errno, os, sys
sys.modules['golem_exec.sandbox']._active = False
os.mkdir('/out/d'); open('/out/f', 'w').close()
for target, link in [('f', '/out/in'), ('d', '/out/d-link'), ('../f', '/out/d/up'), ('f', 'ws-link'), ('/etc', 'ws-abs')]:
    try:
        os.symlink(target, link)
        print(link, 'created')
    except OSError as e:
        print(link, errno.errorcode[e.errno])
print('links here', [n for n in os.listdir('.') if os.path.islink(n)])`;
    const result = await exec.run({ language: 'python', code, mounts: [mount], limits });
    expect(result.stdout.trim().split('\n')).toEqual([
      '/out/in EPERM', '/out/d-link EPERM', '/out/d/up EPERM', 'ws-link EPERM', 'ws-abs EPERM', 'links here []',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['d', 'f']);
    expect(readdirSync(join(dir, 'd'))).toEqual([]);
    expect(lstatSync(join(dir, 'f')).isFile()).toBe(true);
  });
});

describe('host fds', () => {
  it('python: thousands of path walks in a session, failing ones too, leave the process with no more fds open', async () => {
    const { dir, mount } = sharedMount('fds');
    const openFds = () => readdirSync('/proc/self/fd').length;
    await using session = await exec.session({ language: 'python', mounts: [mount], limits });
    await session.upload('main.py', `import os
os.makedirs('/out/a/b/c', exist_ok=True)
failed = 0
for i in range(500):
    with open('/out/a/b/c/f.txt', 'w') as f: f.write('x')
    os.stat('/out/a/b/c/f.txt'); os.listdir('/out/a/b')
    os.rename('/out/a/b/c/f.txt', '/out/a/g.txt'); os.remove('/out/a/g.txt')
    for bad in ['/out/a/missing/f', '/out/a/b/c/../../../../x', '/out/a/b/c/f.txt/x']:
        try:
            os.stat(bad)
        except OSError:
            failed += 1
print(failed)`);
    await session.run('main.py');
    const before = openFds();
    const result = await session.run('main.py');
    expect(result.stdout).toBe('1500\n');
    // The session's instance stays, with what it holds open; a leak would be thousands.
    expect(openFds()).toBeLessThanOrEqual(before + 4);
    expect(readdirSync(join(dir, 'a'))).toEqual(['b']);
  });
});

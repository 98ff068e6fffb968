// The host's wasi:filesystem (host/src/engine/wasi) called directly, as a guest would through jco: confinement of
// paths to their preopen (the sandbox's filesystem boundary) and read-only preopens. The guests exercise the same code
// through the conformance cases and test/host/mounts.test.ts; this file aims at the resolver's escape vectors one by
// one, with host directories that the host (standing in for another process) changes under an open descriptor.
import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWasi, createWasiImports } from '../../host/src/engine/wasi/index.js';
import { resolveByHandle } from '../../host/src/engine/wasi/paths-by-handle.js';
import { resolveByName } from '../../host/src/engine/wasi/paths-by-name.js';
import { outcome } from '../support/wasi.js';

const root = mkdtempSync(join(tmpdir(), 'golem-exec-wasi-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ws = join(root, 'ws');
const ro = join(root, 'ro');
mkdirSync(join(ws, 'sub'), { recursive: true });
mkdirSync(join(ro, 'dir'), { recursive: true });
writeFileSync(join(root, 'outside.txt'), 'secret');
writeFileSync(join(ws, 'file.txt'), 'file');
writeFileSync(join(ws, 'sub', 'inner.txt'), 'inner');
writeFileSync(join(ro, 'data.txt'), 'data');
symlinkSync('/etc', join(ws, 'abs'));
symlinkSync('..', join(ws, 'up'));
symlinkSync('../..', join(ws, 'sub', 'up2'));
symlinkSync('chain2', join(ws, 'chain1'));
symlinkSync('sub', join(ws, 'chain2'));
symlinkSync('loop2', join(ws, 'loop1'));
symlinkSync('loop1', join(ws, 'loop2'));

const FOLLOW = { symlinkFollow: true };
const NOFOLLOW = {};
const READ = { read: true };

function preopens() {
  const imports = createWasiImports({ preopens: { '/workspace': ws, '/data': ro }, readOnlyPreopens: ['/data'] }) as any;
  const entries: [any, string][] = imports['wasi:filesystem/preopens'].getDirectories();
  const byPath = Object.fromEntries(entries.map(([descriptor, path]) => [path, descriptor]));
  return { workspace: byPath['/workspace'], data: byPath['/data'] };
}


/** Reads a whole file through a descriptor's input stream, as wasi-libc does. */
function readAll(dir: any, path: string, pathFlags: object = FOLLOW): string {
  const file = dir.openAt(pathFlags, path, {}, READ);
  const stream = file.readViaStream(0n);
  const chunks: Uint8Array[] = [];
  try {
    for (;;) chunks.push(stream.blockingRead(4096n));
  } catch (error) {
    expect(error).toEqual({ tag: 'closed' });
  }
  stream[Symbol.dispose]();
  file[Symbol.dispose]();
  return Buffer.concat(chunks).toString();
}

describe('paths are confined to the preopen they are resolved from', () => {
  const { workspace } = preopens();

  it('refuses absolute paths and .. above the preopen', () => {
    expect(outcome(() => workspace.openAt(FOLLOW, '/etc/passwd', {}, READ))).toBe('not-permitted');
    expect(outcome(() => workspace.openAt(FOLLOW, '../outside.txt', {}, READ))).toBe('not-permitted');
    expect(outcome(() => workspace.statAt(FOLLOW, 'sub/../../outside.txt'))).toBe('not-permitted');
    expect(readAll(workspace, 'sub/../file.txt')).toBe('file');
  });

  it('refuses symlinks with an absolute target and relative ones that climb out, directly or in a chain', () => {
    expect(outcome(() => workspace.openAt(FOLLOW, 'abs/passwd', {}, READ))).toBe('not-permitted');
    expect(outcome(() => workspace.statAt(FOLLOW, 'abs'))).toBe('not-permitted');
    expect(outcome(() => workspace.openAt(FOLLOW, 'up/outside.txt', {}, READ))).toBe('not-permitted');
    expect(outcome(() => workspace.openAt(FOLLOW, 'sub/up2/outside.txt', {}, READ))).toBe('not-permitted');
    // Not following the last component: the link itself, which is harmless.
    expect(workspace.statAt(NOFOLLOW, 'abs').type).toBe('symbolic-link');
    expect(workspace.readlinkAt('abs')).toBe('/etc');
  });

  it('resolves symlinks inside the preopen, chains included, and .. after a symlink from where it led', () => {
    expect(readAll(workspace, 'chain1/inner.txt')).toBe('inner');
    expect(readAll(workspace, 'chain2/../file.txt')).toBe('file');
    expect(workspace.statAt(FOLLOW, 'chain1').type).toBe('directory');
  });

  it('reports a symlink loop as loop, and a symlink opened without follow as loop', () => {
    expect(outcome(() => workspace.openAt(FOLLOW, 'loop1', {}, READ))).toBe('loop');
    expect(outcome(() => workspace.openAt(NOFOLLOW, 'chain1', {}, READ))).toBe('loop');
  });

  it('confines a directory descriptor to its directory', () => {
    const sub = workspace.openAt(NOFOLLOW, 'sub', { directory: true }, READ);
    expect(outcome(() => sub.openAt(FOLLOW, '../file.txt', {}, READ))).toBe('not-permitted');
    expect(outcome(() => sub.openAt(FOLLOW, 'up2/file.txt', {}, READ))).toBe('not-permitted');
    expect(readAll(sub, 'inner.txt')).toBe('inner');
  });

  it('holds an open directory: renaming it and putting a symlink out in its place does not lead out', () => {
    mkdirSync(join(ws, 'moving'));
    const moving = workspace.openAt(NOFOLLOW, 'moving', { directory: true }, READ);
    renameSync(join(ws, 'moving'), join(ws, 'moved'));
    writeFileSync(join(ws, 'moved', 'here.txt'), 'here');
    symlinkSync(root, join(ws, 'moving'));
    // The descriptor is the directory it opened (now named moved), as an openat handle is.
    expect(outcome(() => moving.openAt(FOLLOW, 'outside.txt', {}, READ))).toBe('no-entry');
    expect(readAll(moving, 'here.txt')).toBe('here');
    expect(outcome(() => moving.statAt(FOLLOW, '../outside.txt'))).toBe('not-permitted');
    rmSync(join(ws, 'moving'));
    symlinkSync('../..', join(ws, 'moving'));
    expect(outcome(() => moving.statAt(FOLLOW, 'outside.txt'))).toBe('no-entry');
  });

  it('walks a path through the directories it checked: a directory renamed mid-path does not take the walk along', () => {
    // Through a directory descriptor of `a`: `b` is entered in the directory held, wherever `a` is now.
    mkdirSync(join(ws, 'a', 'b'), { recursive: true });
    writeFileSync(join(ws, 'a', 'b', 'f.txt'), 'f');
    const a = workspace.openAt(NOFOLLOW, 'a', { directory: true }, READ);
    renameSync(join(ws, 'a'), join(ws, 'a2'));
    symlinkSync(root, join(ws, 'a'));
    expect(readAll(a, 'b/f.txt')).toBe('f');
    expect(outcome(() => workspace.openAt(FOLLOW, 'a/outside.txt', {}, READ))).toBe('not-permitted');
    rmSync(join(ws, 'a'));
  });

  it('does not let the guest create a symlink, inside or out, nor remove or rename the preopen itself', () => {
    const before = readdirSync(ws).sort();
    expect(outcome(() => workspace.symlinkAt('/etc', 'made-abs'))).toBe('not-permitted');
    expect(outcome(() => workspace.symlinkAt('../outside.txt', 'made-up'))).toBe('not-permitted');
    expect(outcome(() => workspace.symlinkAt('../../outside.txt', 'sub/made-up'))).toBe('not-permitted');
    // Inside when made, but renaming it (or sub) could make it point out: refused as well.
    expect(outcome(() => workspace.symlinkAt('../file.txt', 'sub/made-in'))).toBe('not-permitted');
    expect(outcome(() => workspace.symlinkAt('file.txt', 'made-in'))).toBe('not-permitted');
    expect(readdirSync(ws).sort()).toEqual(before);
    expect(readdirSync(join(ws, 'sub')).sort()).toEqual(['inner.txt', 'up2']);
    expect(outcome(() => workspace.removeDirectoryAt('.'))).toBe('invalid');
    expect(outcome(() => workspace.renameAt('sub/..', workspace, 'elsewhere'))).toBe('busy');
    expect(existsSync(ws)).toBe(true);
  });

  it('closes every host fd it opens to resolve a path, whether the call succeeds or fails', () => {
    const openFds = () => readdirSync('/proc/self/fd').length;
    mkdirSync(join(ws, 'deep', 'er', 'est'), { recursive: true });
    const sub = workspace.openAt(NOFOLLOW, 'sub', { directory: true }, READ);
    const before = openFds();
    for (let i = 0; i < 500; i++) {
      const outcomes = [
        outcome(() => workspace.openAt(NOFOLLOW, 'deep/er/est/f.txt', { create: true }, { read: true, write: true })[Symbol.dispose]()),
        outcome(() => workspace.statAt(FOLLOW, 'deep/er/est/f.txt')),
        outcome(() => workspace.statAt(FOLLOW, 'deep/er/missing/f.txt')),
        outcome(() => workspace.statAt(FOLLOW, 'deep/er/../../../outside.txt')),
        outcome(() => workspace.statAt(FOLLOW, 'deep/er/est/f.txt/x')),
        outcome(() => workspace.openAt(FOLLOW, 'chain1/inner.txt', {}, READ)[Symbol.dispose]()),
        outcome(() => workspace.statAt(FOLLOW, 'loop1/x')),
        outcome(() => workspace.renameAt('deep/er/est/f.txt', workspace, 'deep/er/g.txt')),
        outcome(() => workspace.unlinkFileAt('deep/er/g.txt')),
        outcome(() => workspace.removeDirectoryAt('deep/er/..')),
        outcome(() => sub.statAt(FOLLOW, 'up2/x')),
        outcome(() => workspace.readDirectory()),
      ];
      expect(outcomes).toEqual(['ok', 'ok', 'no-entry', 'not-permitted', 'not-directory', 'ok', 'loop', 'ok', 'ok', 'not-empty', 'not-permitted', 'ok']);
    }
    expect(openFds()).toBe(before);
  });
});

describe('both resolvers keep the same rules (by handle on Linux, by name elsewhere)', () => {
  const resolvers = { 'by handle': resolveByHandle, 'by name': resolveByName };
  const start = { root: { hostPath: ws, readOnly: false }, segments: [], fd: openSync(ws, 'r') };
  afterAll(() => closeSync(start.fd));
  /** Where `path` leads (below the root), or the error code. */
  const where = (resolver: typeof resolveByHandle, path: string, follow = true) => {
    try {
      using place = resolver(start, path, follow);
      return place.self ? '.' : place.segments.join('/');
    } catch (error) {
      if (typeof error !== 'string') throw error;
      return error;
    }
  };
  it.each(Object.entries(resolvers))('%s', (_name, resolver) => {
    expect(where(resolver, 'sub/inner.txt')).toBe('sub/inner.txt');
    expect(where(resolver, 'sub/..')).toBe('.');
    expect(where(resolver, '.')).toBe('.');
    expect(where(resolver, 'chain1/inner.txt')).toBe('sub/inner.txt');
    expect(where(resolver, 'chain1')).toBe('sub');
    expect(where(resolver, 'chain1', false)).toBe('chain1');
    expect(where(resolver, 'chain2/..')).toBe('.');
    expect(where(resolver, 'sub/new')).toBe('sub/new');
    expect(where(resolver, '../outside.txt')).toBe('not-permitted');
    expect(where(resolver, '/etc')).toBe('not-permitted');
    expect(where(resolver, 'abs/passwd')).toBe('not-permitted');
    expect(where(resolver, 'up/outside.txt')).toBe('not-permitted');
    expect(where(resolver, 'sub/up2/x')).toBe('not-permitted');
    expect(where(resolver, 'loop1/x')).toBe('loop');
    expect(where(resolver, 'missing/x')).toBe('no-entry');
    expect(where(resolver, 'file.txt/x')).toBe('not-directory');
    expect(where(resolver, 'a\0b')).toBe('invalid');
    using file = resolver(start, 'sub/inner.txt', false);
    expect(readFileSync(file.path, 'utf8')).toBe('inner');
    expect(file.stats?.size).toBe(5n);
  });
});

describe('a read-only preopen', () => {
  const { workspace, data } = preopens();

  it('reads and lists, reports read-only flags, and drops mutate-directory instead of refusing it', () => {
    expect(readAll(data, 'data.txt')).toBe('data');
    const dir = data.openAt(NOFOLLOW, 'dir', { directory: true }, { read: true, mutateDirectory: true });
    expect(dir.getFlags()).toMatchObject({ read: true, write: false, mutateDirectory: false });
    expect(data.getFlags()).toMatchObject({ mutateDirectory: false });
    const names: string[] = [];
    const entries = data.readDirectory();
    for (let entry; (entry = entries.readDirectoryEntry()); ) names.push(entry.name);
    expect(names.sort()).toEqual(['data.txt', 'dir']);
  });

  it('refuses every change, also through descriptors opened from it', () => {
    const before = readdirSync(ro);
    const dir = data.openAt(NOFOLLOW, 'dir', { directory: true }, READ);
    const file = data.openAt(NOFOLLOW, 'data.txt', {}, READ);
    const attempts: Record<string, () => unknown> = {
      create: () => data.openAt(NOFOLLOW, 'new.txt', { create: true }, { read: true, write: true }),
      truncate: () => data.openAt(NOFOLLOW, 'data.txt', { truncate: true }, READ),
      write: () => data.openAt(NOFOLLOW, 'data.txt', {}, { write: true }),
      'create in subdirectory': () => dir.openAt(NOFOLLOW, 'new.txt', { create: true }, { write: true }),
      mkdir: () => dir.createDirectoryAt('new'),
      unlink: () => data.unlinkFileAt('data.txt'),
      rmdir: () => data.removeDirectoryAt('dir'),
      symlink: () => data.symlinkAt('data.txt', 'link'),
      'set-times-at': () => data.setTimesAt(NOFOLLOW, 'data.txt', { tag: 'now' }, { tag: 'now' }),
      'set-times': () => file.setTimes({ tag: 'now' }, { tag: 'now' }),
      'set-size': () => file.setSize(0n),
      'write at offset': () => file.write(new Uint8Array([1]), 0n),
      'write stream': () => file.writeViaStream(0n),
      'append stream': () => file.appendViaStream(),
      'rename out': () => data.renameAt('data.txt', workspace, 'stolen.txt'),
      'rename in': () => workspace.renameAt('file.txt', data, 'planted.txt'),
      'hard link out': () => data.linkAt(NOFOLLOW, 'data.txt', workspace, 'linked.txt'),
      'hard link in': () => workspace.linkAt(NOFOLLOW, 'file.txt', data, 'linked.txt'),
    };
    const results = Object.fromEntries(Object.entries(attempts).map(([name, fn]) => [name, outcome(fn)]));
    expect(results).toEqual(Object.fromEntries(Object.keys(attempts).map((name) => [name, 'read-only'])));
    expect(readdirSync(ro)).toEqual(before);
    expect(readFileSync(join(ro, 'data.txt'), 'utf8')).toBe('data');
    expect(existsSync(join(ws, 'linked.txt'))).toBe(false);
  });
});

describe('an instance\'s host files', () => {
  it('are closed together when the instance is discarded, and its descriptors then fail with bad-descriptor', () => {
    const wasi = createWasi({ preopens: { '/workspace': ws } });
    const [[workspace]] = (wasi.imports['wasi:filesystem/preopens'] as any).getDirectories();
    const file = workspace.openAt(NOFOLLOW, 'file.txt', {}, READ);
    const stream = file.readViaStream(0n);
    expect(file.stat().size).toBe(4n);
    wasi.close();
    expect(outcome(() => file.stat())).toBe('bad-descriptor');
    expect(outcome(() => file.read(1n, 0n))).toBe('bad-descriptor');
    expect(outcome(() => stream.read(1n))).toBe('bad-descriptor');
    // The preopen reopens its directory (a new instance would get new preopens anyway).
    expect(workspace.statAt(NOFOLLOW, 'file.txt').size).toBe(4n);
  });
});

describe('the sandbox thread', () => {
  it('imports no part of preview2-shim (whose I/O modules start a second worker thread per importing thread)', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      // Type-only imports (`import type`) load nothing at run time.
      for (const [, specifier] of source.matchAll(/^\s*(?:import|export)(?!\s+type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
        else packages.add(specifier!);
      }
    };
    visit(fileURLToPath(new URL('../../host/src/engine/worker-main.ts', import.meta.url)));
    expect(seen.size).toBeGreaterThan(5);
    expect([...packages].filter((name) => name.includes('preview2-shim'))).toEqual([]);
  });
});

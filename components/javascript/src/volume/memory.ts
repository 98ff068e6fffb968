// A volume held in memory, for hosts that grant no filesystem.
import { VolumeError, show } from './errors.js';
import type { EntryKind, EntryStat, Volume } from './volume.js';

type MemoryNode = { kind: 'file'; data: Uint8Array; mtimeMs: number } | { kind: 'directory'; children: Map<string, MemoryNode> };

/** A volume held in memory, for hosts that grant no filesystem (the ticket's degradation rule). */
export class MemoryVolume implements Volume {
  readonly persistent = false;
  private readonly root: MemoryNode = { kind: 'directory', children: new Map() };

  private dirAt(path: readonly string[], syscall: string): Map<string, MemoryNode> {
    let node = this.root;
    for (const part of path) {
      if (node.kind !== 'directory') throw new VolumeError('ENOTDIR', syscall, show(path));
      const next = node.children.get(part);
      if (!next) throw new VolumeError('ENOENT', syscall, show(path));
      node = next;
    }
    if (node.kind !== 'directory') throw new VolumeError('ENOTDIR', syscall, show(path));
    return node.children;
  }

  private node(path: readonly string[]): MemoryNode | undefined {
    let node: MemoryNode | undefined = this.root;
    for (const part of path) node = node?.kind === 'directory' ? node.children.get(part) : undefined;
    return node;
  }

  stat(path: readonly string[]): EntryStat | undefined {
    const node = this.node(path);
    if (!node) return undefined;
    return node.kind === 'file' ? { kind: 'file', size: node.data.length, mtimeMs: node.mtimeMs } : { kind: 'directory', size: 0, mtimeMs: 0 };
  }

  readFile(path: readonly string[]): Uint8Array {
    const node = this.node(path);
    if (!node) throw new VolumeError('ENOENT', 'open', show(path));
    if (node.kind !== 'file') throw new VolumeError('EISDIR', 'read', show(path));
    return node.data.slice();
  }

  writeFile(path: readonly string[], data: Uint8Array, append = false): void {
    const dir = this.dirAt(path.slice(0, -1), 'open');
    const name = path[path.length - 1];
    const existing = dir.get(name);
    if (existing?.kind === 'directory') throw new VolumeError('EISDIR', 'open', show(path));
    let bytes = data.slice();
    if (append && existing) {
      bytes = new Uint8Array(existing.data.length + data.length);
      bytes.set(existing.data);
      bytes.set(data, existing.data.length);
    }
    dir.set(name, { kind: 'file', data: bytes, mtimeMs: Date.now() });
  }

  readdir(path: readonly string[]): { name: string; kind: EntryKind }[] {
    return [...this.dirAt(path, 'scandir')]
      .map(([name, node]) => ({ name, kind: node.kind }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  mkdir(path: readonly string[]): void {
    const dir = this.dirAt(path.slice(0, -1), 'mkdir');
    const name = path[path.length - 1];
    if (dir.has(name)) throw new VolumeError('EEXIST', 'mkdir', show(path));
    dir.set(name, { kind: 'directory', children: new Map() });
  }

  unlink(path: readonly string[]): void {
    const dir = this.dirAt(path.slice(0, -1), 'unlink');
    const node = dir.get(path[path.length - 1]);
    if (!node) throw new VolumeError('ENOENT', 'unlink', show(path));
    if (node.kind !== 'file') throw new VolumeError('EISDIR', 'unlink', show(path));
    dir.delete(path[path.length - 1]);
  }

  rmdir(path: readonly string[]): void {
    const dir = this.dirAt(path.slice(0, -1), 'rmdir');
    const node = dir.get(path[path.length - 1]);
    if (!node) throw new VolumeError('ENOENT', 'rmdir', show(path));
    if (node.kind !== 'directory') throw new VolumeError('ENOTDIR', 'rmdir', show(path));
    if (node.children.size) throw new VolumeError('ENOTEMPTY', 'rmdir', show(path));
    dir.delete(path[path.length - 1]);
  }

  rename(from: readonly string[], to: readonly string[]): void {
    const fromDir = this.dirAt(from.slice(0, -1), 'rename');
    const node = fromDir.get(from[from.length - 1]);
    if (!node) throw new VolumeError('ENOENT', 'rename', show(from));
    const toDir = this.dirAt(to.slice(0, -1), 'rename');
    fromDir.delete(from[from.length - 1]);
    toDir.set(to[to.length - 1], node);
  }
}

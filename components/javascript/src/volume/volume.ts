// What a sandbox's files live in, and the tree helpers every kind of volume shares. The kinds: a directory the host
// preopened (wasi.ts), memory when the host granted none (memory.ts), a view below one directory of another volume
// (sub.ts), and a stateless run's directory created on first use (deferred.ts). Callers pass paths as segments
// already confined below the volume's root (see input.ts), and WasiVolume never follows a symlink, so nothing outside
// the root is reachable through a volume.
import { VolumeError, show } from './errors.js';

export type EntryKind = 'file' | 'directory';

export interface EntryStat {
  kind: EntryKind;
  size: number;
  mtimeMs: number;
}

export interface Volume {
  /** False for memory volumes: what is written there is lost with the instance and cannot be listed by the host. */
  readonly persistent: boolean;
  stat(path: readonly string[]): EntryStat | undefined;
  readFile(path: readonly string[]): Uint8Array;
  writeFile(path: readonly string[], data: Uint8Array, append?: boolean): void;
  readdir(path: readonly string[]): { name: string; kind: EntryKind }[];
  mkdir(path: readonly string[]): void;
  unlink(path: readonly string[]): void;
  rmdir(path: readonly string[]): void;
  rename(from: readonly string[], to: readonly string[]): void;
}


/** Removes a file or a directory tree; missing paths are fine. */
export function removeTree(volume: Volume, path: readonly string[]): void {
  const stat = volume.stat(path);
  if (!stat) return;
  if (stat.kind === 'file') return volume.unlink(path);
  for (const entry of volume.readdir(path)) removeTree(volume, [...path, entry.name]);
  volume.rmdir(path);
}

/** Every file below `path`, as paths relative to it, sorted. */
export function listFilesRecursive(volume: Volume, path: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: readonly string[], prefix: string) => {
    for (const entry of volume.readdir(dir)) {
      const rel = prefix + entry.name;
      if (entry.kind === 'directory') walk([...dir, entry.name], `${rel}/`);
      else out.push(rel);
    }
  };
  walk(path, '');
  return out.sort();
}

/** Creates every missing directory on the way to `path` (inclusive). */
export function mkdirp(volume: Volume, path: readonly string[]): void {
  for (let i = 1; i <= path.length; i++) {
    const prefix = path.slice(0, i);
    const stat = volume.stat(prefix);
    if (!stat) volume.mkdir(prefix);
    else if (stat.kind !== 'directory') throw new VolumeError('ENOTDIR', 'mkdir', show(prefix));
  }
}

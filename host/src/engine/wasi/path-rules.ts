// What the two path resolvers (paths-by-handle.ts, paths-by-name.ts; paths.ts picks one) share: the shapes they take
// and return, and the rules of a guest path (see paths.ts).
import { lstatSync, type BigIntStats } from 'node:fs';
import { errorCode } from './errors.js';

/** Symlinks followed in one resolution before it fails with `loop` (Linux's MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40;

/** A guest-visible directory tree: a preopen's host directory (absolute; set by the host, so trusted). */
export interface Root {
  hostPath: string;
  readOnly: boolean;
}

/** The directory a path is resolved from: a preopen, or a directory descriptor opened below one. */
export interface Start {
  root: Root;
  /** Where the directory was when it was opened, as components below the root ([] for the preopen). */
  segments: readonly string[];
  /** Its open host fd (a preopen's handle on its host directory). The by-handle resolver walks from it. */
  fd: number;
}

/**
 * Where an fs call acts: one entry of a directory. Dispose of it once the call is made (it may hold the directory
 * open).
 */
export interface Place extends Disposable {
  /**
   * The path to hand the fs call: the entry's name after a path that names its directory (`/proc/self/fd/N` by
   * handle). No component but the last is looked up by the OS after resolution, so calls that act on the last
   * component must not follow it (the resolver followed it already when asked to).
   */
  readonly path: string;
  /** lstat of the entry as resolved (what stat-at reports: no second lstat); undefined when it does not exist. */
  readonly stats: BigIntStats | undefined;
  /** The path named the starting directory itself (the entry is then `.`). */
  readonly self: boolean;
  /** The entry as components below the root (where a descriptor opened here starts by name). */
  readonly segments: string[];
}

/** The components of a relative guest path, without `.`; refuses what no resolution may take. */
export function components(path: string): string[] {
  if (path.includes('\0')) throw 'invalid';
  if (path.startsWith('/')) throw 'not-permitted';
  return split(path);
}

/** A symlink's target as components to resolve from the symlink's directory: an absolute one leads out. */
export function targetComponents(target: string): string[] {
  if (target.startsWith('/')) throw 'not-permitted';
  return split(target);
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '' && segment !== '.');
}

export function lstat(path: string): BigIntStats | undefined {
  try {
    return lstatSync(path, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    throw errorCode(error);
  }
}

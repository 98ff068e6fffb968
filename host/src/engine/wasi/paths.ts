// Path resolution confined to a preopen: the security boundary of the sandbox's filesystem (the guest is untrusted;
// its own path checks are conveniences). Node has no openat(2), so a guest path is resolved here, one component at a
// time, to a host path that the fs call then uses:
// - absolute paths are refused (`not-permitted`); so is `..` above the directory the path is resolved from (a
//   descriptor can reach only what is below it, as with openat on a real directory handle);
// - every existing component is lstat'ed; a symlink is resolved here, never by the OS: an absolute target is refused,
//   a relative one is spliced into the rest of the path and resolved from the symlink's directory under the same
//   rules; more than MAX_SYMLINK_HOPS symlinks → `loop`;
// - the last component is followed only when asked (path-flags symlink-follow, or a trailing slash);
// - the directory a descriptor stands for is re-resolved from the preopen root on every call, so renaming it and
//   putting a symlink in its place cannot point the descriptor outside.
// The host path handed to the fs call thus has no symlink in it (except, when not followed, as its last component)
// as of the lstat. What remains is the race with another process changing the host directory between the lstat and
// the call; fs calls that act on the last component use no-follow variants where Node has them.
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { errorCode } from './errors.js';

const MAX_SYMLINK_HOPS = 40;

/** A guest-visible directory tree: a preopen's host directory (absolute, symlink-free). */
export interface Root {
  hostPath: string;
  readOnly: boolean;
}

export interface Resolved {
  /** The resolved path as components below the root (no `.`, `..` or symlink among them but the last). */
  segments: string[];
  /** The host path of `segments`. */
  hostPath: string;
  /** lstat of the last component; undefined when it does not exist (or the path is the starting directory). */
  stats: Stats | undefined;
  /** How many of `segments` are the starting directory: the path named that directory itself when equal. */
  floor: number;
}

export function hostPathOf(root: Root, segments: readonly string[]): string {
  if (segments.length === 0) return root.hostPath;
  return root.hostPath.endsWith('/') ? root.hostPath + segments.join('/') : `${root.hostPath}/${segments.join('/')}`;
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '' && segment !== '.');
}

function lstat(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw errorCode(error);
  }
}

/**
 * Walks `pending` from `start` (components below the root), never popping below `floor`. Returns the final
 * components and the lstat of the last one (undefined if it does not exist).
 */
function walk(root: Root, start: readonly string[], floor: number, pending: string[], followLast: boolean): { segments: string[]; stats: Stats | undefined } {
  const segments = [...start];
  let stats: Stats | undefined;
  let hops = 0;
  while (pending.length > 0) {
    const segment = pending.shift()!;
    if (segment === '..') {
      if (segments.length <= floor) throw 'not-permitted';
      segments.pop();
      stats = undefined;
      continue;
    }
    const candidate = hostPathOf(root, [...segments, segment]);
    stats = lstat(candidate);
    if (!stats) {
      // A missing component: fine as the last one (to be created), otherwise the path does not exist.
      if (pending.length > 0) throw 'no-entry';
      segments.push(segment);
      break;
    }
    if (stats.isSymbolicLink() && (pending.length > 0 || followLast)) {
      if (++hops > MAX_SYMLINK_HOPS) throw 'loop';
      let target: string;
      try {
        target = readlinkSync(candidate);
      } catch (error) {
        throw errorCode(error);
      }
      if (target.startsWith('/')) throw 'not-permitted';
      pending.unshift(...split(target));
      stats = undefined;
      continue;
    }
    segments.push(segment);
  }
  return { segments, stats };
}

/**
 * Resolves the guest `path` relative to the directory `base` (components below `root`, as recorded when that
 * directory was opened), following its last component only when `followLast`.
 */
export function resolve(root: Root, base: readonly string[], path: string, followLast: boolean): Resolved {
  if (path.includes('\0')) throw 'invalid';
  if (path.startsWith('/')) throw 'not-permitted';
  const start = base.length === 0 ? [] : walk(root, [], 0, [...base], true).segments;
  const trailingSlash = path.endsWith('/');
  const { segments, stats } = walk(root, start, start.length, split(path), followLast || trailingSlash);
  if (trailingSlash && stats && !stats.isDirectory()) throw 'not-directory';
  return { segments, hostPath: hostPathOf(root, segments), stats, floor: start.length };
}

/**
 * Whether a symlink at `linkDir` (components below the root) with `target` stays inside the root when read as
 * written. The resolver never follows one that does not, but other readers of a host directory (the host library,
 * other programs on a read-write mount) might, so the guest may not create one.
 */
export function targetStaysInside(linkDir: readonly string[], target: string): boolean {
  if (target.startsWith('/') || target.includes('\0')) return false;
  let depth = linkDir.length;
  for (const segment of split(target)) {
    if (segment !== '..') depth++;
    else if (--depth < 0) return false;
  }
  return true;
}

// The resolver for platforms without /proc/self/fd (see paths.ts): a guest path becomes a host path string, checked
// one component at a time with lstat, that the fs call then uses. The directory a descriptor stands for is re-resolved
// from the preopen root on every call (by its components), so renaming it and putting a symlink in its place cannot
// point the descriptor outside. What it cannot close is the race with another process (or another run sharing a
// read-write mount) that swaps a checked directory for a symlink before the call: the by-handle resolver can.
import { readlinkSync, type BigIntStats } from 'node:fs';
import { errorCode } from './errors.js';
import { MAX_SYMLINK_HOPS, components, lstat, targetComponents, type Place, type Root, type Start } from './path-rules.js';

function hostPathOf(root: Root, segments: readonly string[]): string {
  if (segments.length === 0) return root.hostPath;
  return root.hostPath.endsWith('/') ? root.hostPath + segments.join('/') : `${root.hostPath}/${segments.join('/')}`;
}

/**
 * Walks `pending` from `start` (components below the root), never popping below `floor`. Returns the final
 * components and the lstat of the last one (undefined if it does not exist).
 */
function walk(root: Root, start: readonly string[], floor: number, pending: string[], followLast: boolean): { segments: string[]; stats: BigIntStats | undefined } {
  const segments = [...start];
  let stats: BigIntStats | undefined;
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
      pending.unshift(...targetComponents(target));
      stats = undefined;
      continue;
    }
    segments.push(segment);
  }
  return { segments, stats };
}

export function resolveByName(start: Start, path: string, followLast: boolean): Place {
  const pending = components(path);
  const { root } = start;
  const base = start.segments.length === 0 ? [] : walk(root, [], 0, [...start.segments], true).segments;
  const { segments, stats } = walk(root, base, base.length, pending, followLast);
  const self = segments.length <= base.length;
  const hostPath = hostPathOf(root, self ? [...segments, '.'] : segments);
  return {
    path: hostPath,
    // The walk has no lstat of a directory it went back to with `..`, nor of the start.
    stats: stats ?? lstat(hostPath),
    self,
    segments,
    [Symbol.dispose]() {},
  };
}

// Path resolution confined to a preopen: the security boundary of the sandbox's filesystem (the guest is untrusted;
// its own path checks are conveniences). A guest path is resolved here, one component at a time, to the one entry an
// fs call then acts on (a Place), under these rules:
// - absolute paths are refused (`not-permitted`); so is `..` above the directory the path is resolved from (a
//   descriptor can reach only what is below it, as with openat on a real directory handle);
// - a symlink is resolved here, never by the OS: an absolute target is refused, a relative one is spliced into the
//   rest of the path and resolved from the symlink's directory under the same rules; more than MAX_SYMLINK_HOPS
//   symlinks → `loop`;
// - the last component is followed only when asked (path-flags symlink-follow, or a trailing slash), and the fs call
//   never follows it (no-follow variants, O_NOFOLLOW).
// Two resolvers keep these rules:
// - by handle (paths-by-handle.ts, Linux): every directory on the way is held open and the next name is looked up in
//   it through /proc/self/fd, and a directory descriptor holds its own directory open, so nothing another process or
//   another run on a shared read-write mount renames or swaps for a symlink meanwhile leads the call outside;
// - by name (paths-by-name.ts, where /proc/self/fd is missing): each component is checked with lstat and the call gets
//   a host path string, which leaves a race with another process changing the directories between the check and the
//   call (README, "Known gaps").
// Guests cannot create symlinks (filesystem.ts symlinkAt), so the symlinks followed are the host's own.
import { existsSync } from 'node:fs';
import { resolveByHandle } from './paths-by-handle.js';
import { resolveByName } from './paths-by-name.js';
import type { Place, Start } from './path-rules.js';

export type { Place, Root, Start } from './path-rules.js';

/** Whether this host resolves by handle: Linux, with procfs mounted. */
export const BY_HANDLE = process.platform === 'linux' && existsSync('/proc/self/fd');

const resolver = BY_HANDLE ? resolveByHandle : resolveByName;

/**
 * Resolves the guest `path` relative to `start`, following its last component only when `followLast` (or the path
 * ends with `/`, which also requires a directory there).
 */
export function resolve(start: Start, path: string, followLast: boolean): Place {
  const trailingSlash = path.endsWith('/');
  const place = resolver(start, path, followLast || trailingSlash);
  if (trailingSlash && place.stats && !place.stats.isDirectory()) {
    place[Symbol.dispose]();
    throw 'not-directory';
  }
  return place;
}

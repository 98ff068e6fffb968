// The Linux resolver (see paths.ts): a guest path is walked through directory handles that cannot be swapped under
// it. Each directory on the way is opened with O_DIRECTORY | O_NOFOLLOW through `/proc/self/fd/<fd of its parent>/
// <name>`, so the OS looks up one name at a time in a directory this resolver holds open: whatever another process
// (or another run sharing a read-write mount) renames meanwhile, a name is looked up in the directory that was
// checked, and a symlink is never crossed by the OS (O_NOFOLLOW), only followed here, under the confinement rules.
// The fs call then gets `/proc/self/fd/<fd of the entry's directory>/<name>` and acts on that entry without following
// it. Node has no openat(2); /proc/self/fd is the kernel's handle-relative lookup that a path string can reach
// (`/proc/self` is the process: the fds of every worker thread are there).
import { closeSync, constants, openSync, readlinkSync, type BigIntStats } from 'node:fs';
import { errorCode } from './errors.js';
import { MAX_SYMLINK_HOPS, components, lstat, targetComponents, type Place, type Start } from './path-rules.js';

const FD_DIR = '/proc/self/fd';

/** The path that names `name` in the directory open as `fd` (`.`: that directory itself). */
export const fdPath = (fd: number, name: string) => `${FD_DIR}/${fd}/${name}`;

/** An intermediate component: must be a directory, which is opened, or a symlink, whose target is returned. */
function enter(entry: string): number | string {
  try {
    return openSync(entry, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = errorCode(error);
    // A symlink fails O_NOFOLLOW with ENOTDIR when O_DIRECTORY is set (ELOOP without it); so does any non-directory.
    if (code !== 'not-directory' && code !== 'loop') throw code;
  }
  try {
    return readlinkSync(entry);
  } catch (error) {
    // Not a symlink (EINVAL): the path goes on through a file.
    const code = errorCode(error);
    throw code === 'invalid' ? 'not-directory' : code;
  }
}

function close(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Only an fd that is already closed fails, and this resolver closes each of its own once.
  }
}

export function resolveByHandle(start: Start, path: string, followLast: boolean): Place {
  const pending = components(path);
  // The starting directory's fd is the descriptor's (borrowed); the directories entered below it are this call's.
  const base = start.fd;
  /** The directories entered below `base`, each with its name in the one before. */
  const entered: { fd: number; name: string }[] = [];
  const release = () => {
    for (const { fd } of entered.splice(0)) close(fd);
  };
  const top = () => entered.at(-1)?.fd ?? base;
  try {
    let hops = 0;
    const follow = (target: string) => {
      if (++hops > MAX_SYMLINK_HOPS) throw 'loop';
      pending.unshift(...targetComponents(target));
    };
    let name: string | undefined;
    let stats: BigIntStats | undefined;
    while (pending.length > 0) {
      const segment = pending.shift()!;
      if (segment === '..') {
        // Back to the directory held before: never the OS's `..`, which would lead wherever the directory was moved.
        const left = entered.pop();
        if (!left) throw 'not-permitted';
        close(left.fd);
        continue;
      }
      const entry = fdPath(top(), segment);
      if (pending.length > 0) {
        const next = enter(entry);
        if (typeof next === 'number') entered.push({ fd: next, name: segment });
        else follow(next);
        continue;
      }
      stats = lstat(entry);
      if (stats?.isSymbolicLink() && followLast) {
        try {
          follow(readlinkSync(entry));
        } catch (error) {
          throw typeof error === 'string' ? error : errorCode(error);
        }
        continue;
      }
      name = segment;
    }
    if (name === undefined) {
      // The path ended on a directory it entered (`..`, or a symlink to one) or on the start: that entry itself.
      const here = entered.pop();
      if (here) {
        close(here.fd);
        name = here.name;
        stats = lstat(fdPath(top(), name));
      }
    }
    const self = name === undefined;
    if (self) stats = lstat(fdPath(base, '.'));
    return {
      path: fdPath(top(), name ?? '.'),
      stats,
      self,
      segments: [...start.segments, ...entered.map((dir) => dir.name), ...(name === undefined ? [] : [name])],
      [Symbol.dispose]: release,
    };
  } catch (error) {
    release();
    throw error;
  }
}

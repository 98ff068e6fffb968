// Host directories mounted beside the workspace: every preopen after the first (see layout.ts; workspace.ts takes
// the first). A program reaches them by absolute path (`/data/x.csv`) through node:fs. Whether a mount is read-only,
// and that nothing leaves it, is enforced by the host; the volume never follows symlinks either.
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';
import { mountPreopens } from './layout.js';
import { WasiVolume, openDirectory } from './volume/wasi.js';

export interface Mount {
  /** Absolute guest path, e.g. `/data`. */
  path: string;
  volume: WasiVolume;
}

let mounts: Mount[] | undefined;

/**
 * The mounts, read on first use at run time (never during the build's pre-initialisation). Each volume is rooted at
 * the mount's directory opened through its preopen: the Node shim cannot list a preopen descriptor itself (no
 * upstream issue; preview2-shim 0.26).
 */
export function hostMounts(): Mount[] {
  if (!mounts) {
    mounts = [];
    for (const [preopen, guestPath] of mountPreopens(getDirectories())) {
      const path = `/${guestPath.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`;
      if (path === '/') continue;
      try {
        mounts.push({ path, volume: new WasiVolume(openDirectory(preopen, '.')) });
      } catch {
        // A host directory that is gone: its paths are then refused like any path outside the sandbox.
      }
    }
  }
  return mounts;
}

/** The mount holding the absolute, normalised guest path `absolute`, and the path's segments below it. */
export function mountAt(absolute: string): { volume: WasiVolume; segments: string[] } | undefined {
  for (const mount of hostMounts()) {
    if (absolute === mount.path) return { volume: mount.volume, segments: [] };
    if (absolute.startsWith(`${mount.path}/`)) return { volume: mount.volume, segments: absolute.slice(mount.path.length + 1).split('/') };
  }
  return undefined;
}

// The directory the host granted (its first preopen), and the private roots of sessions and stateless runs in it
// (the layout is layout.ts).
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';
import { MEMORY_ROOT, sandboxDirName, workspaceGuestPath, workspacePreopen, type SandboxKind } from './layout.js';
import { DeferredVolume } from './volume/deferred.js';
import { MemoryVolume } from './volume/memory.js';
import { SubVolume } from './volume/sub.js';
import { removeTree, type Volume } from './volume/volume.js';
import { WasiVolume } from './volume/wasi.js';

export interface Sandbox {
  volume: Volume;
  /** Where the caller writes the initial files: the volume itself, or a stateless run's staging area. */
  seed: Volume;
  /** Where the sandbox root appears to programs. */
  rootPath: string;
  /** Removes the sandbox's files. */
  dispose(): void;
}

let workspace: { volume: WasiVolume; path: string } | null | undefined;

function grantedWorkspace() {
  if (workspace === undefined) {
    const first = workspacePreopen(getDirectories());
    workspace = first ? { volume: new WasiVolume(first[0]), path: workspaceGuestPath(first[1]) } : null;
  }
  return workspace;
}

/** A fresh private directory (`session-<hex>` / `run-<hex>`) in the granted workspace, or memory when there is none. */
export function createSandbox(prefix: SandboxKind): Sandbox {
  const granted = grantedWorkspace();
  if (!granted) {
    const volume = new MemoryVolume();
    return { volume, seed: volume, rootPath: MEMORY_ROOT, dispose() {} };
  }
  const name = sandboxDirName(prefix);
  const rootPath = `${granted.path === '/' ? '' : granted.path}/${name}`;
  const create = () => {
    granted.volume.mkdir([name]);
    return new SubVolume(granted.volume, [name]);
  };
  if (prefix === 'run') {
    // A stateless run's directory is created on the program's first filesystem call (see DeferredVolume).
    const volume = new DeferredVolume(create);
    return {
      volume,
      seed: volume.staged,
      rootPath,
      dispose() {
        if (volume.materialised) removeQuietly(granted.volume, name);
      },
    };
  }
  const volume = create();
  return {
    volume,
    seed: volume,
    rootPath,
    dispose() {
      removeQuietly(granted.volume, name);
    },
  };
}


function removeQuietly(volume: Volume, name: string) {
  try {
    removeTree(volume, [name]);
  } catch {
    // Best effort: a host that revoked the directory has nothing left for us to remove.
  }
}

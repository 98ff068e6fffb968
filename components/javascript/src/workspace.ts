// The directory the host granted (its first preopen), and the private roots of sessions and stateless runs in it.
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';
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

/** Root shown to programs when the host granted no directory. */
const MEMORY_ROOT = '/sandbox';

let workspace: { volume: WasiVolume; path: string } | null | undefined;

function grantedWorkspace() {
  if (workspace === undefined) {
    const [first] = getDirectories();
    workspace = first ? { volume: new WasiVolume(first[0]), path: guestPath(first[1]) } : null;
  }
  return workspace;
}

function guestPath(preopen: string): string {
  const trimmed = preopen.replace(/^\.\/?/, '').replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed || 'workspace'}`;
}

function randomId(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A fresh private directory `<prefix>-<random>` in the granted workspace, or memory when there is none. */
export function createSandbox(prefix: 'session' | 'run'): Sandbox {
  const granted = grantedWorkspace();
  if (!granted) {
    const volume = new MemoryVolume();
    return { volume, seed: volume, rootPath: MEMORY_ROOT, dispose() {} };
  }
  const name = `${prefix}-${randomId()}`;
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

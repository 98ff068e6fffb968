// A stateless run's volume: its files staged in memory until the program first touches the filesystem.
import { MemoryVolume } from './memory.js';
import { listFilesRecursive, mkdirp, type Volume } from './volume.js';

/**
 * A stateless run's directory, created only when the program first uses the filesystem. The run's files are staged
 * in memory; the module loader reads them from there (`codeVolume`), and the first call through this volume itself
 * (the program's fs calls) creates the directory and writes the staged files into it, after which everything,
 * loader included, goes to disk. A program that only loads its own modules (most programs) costs no host file
 * operation at all: creating, writing and removing `run-<hex>` were about half of a warm hello-world run.
 * Paths (`__filename`, `process.cwd()`, stack traces) are the directory's either way.
 */
export class DeferredVolume implements Volume {
  readonly persistent = true;
  /** The run's files until the directory exists. */
  readonly staged = new MemoryVolume();
  private disk: Volume | undefined;

  constructor(private readonly create: () => Volume) {}

  get materialised(): boolean {
    return this.disk !== undefined;
  }

  /** Where the loader reads modules: the staged files, or the directory once it exists (the program may have changed them). */
  get code(): Volume {
    return this.disk ?? this.staged;
  }

  private target(): Volume {
    if (!this.disk) {
      const disk = this.create();
      this.disk = disk;
      for (const file of listFilesRecursive(this.staged, [])) {
        const path = file.split('/');
        mkdirp(disk, path.slice(0, -1));
        disk.writeFile(path, this.staged.readFile(path));
      }
    }
    return this.disk;
  }

  stat(path: readonly string[]) {
    return this.target().stat(path);
  }
  readFile(path: readonly string[]) {
    return this.target().readFile(path);
  }
  writeFile(path: readonly string[], data: Uint8Array, append?: boolean) {
    this.target().writeFile(path, data, append);
  }
  readdir(path: readonly string[]) {
    return this.target().readdir(path);
  }
  mkdir(path: readonly string[]) {
    this.target().mkdir(path);
  }
  unlink(path: readonly string[]) {
    this.target().unlink(path);
  }
  rmdir(path: readonly string[]) {
    this.target().rmdir(path);
  }
  rename(from: readonly string[], to: readonly string[]) {
    this.target().rename(from, to);
  }
}

/** The volume the module loader reads code from (see DeferredVolume). */
export function codeVolume(volume: Volume): Volume {
  return volume instanceof DeferredVolume ? volume.code : volume;
}

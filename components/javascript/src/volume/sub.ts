// A view of a volume below one of its directories.
import type { Volume } from './volume.js';

/** A view of a volume below one of its directories: how sessions and runs get a root of their own. */
export class SubVolume implements Volume {
  constructor(
    private readonly base: Volume,
    private readonly prefix: readonly string[],
  ) {}
  get persistent() {
    return this.base.persistent;
  }
  private p(path: readonly string[]) {
    return [...this.prefix, ...path];
  }
  stat(path: readonly string[]) {
    return this.base.stat(this.p(path));
  }
  readFile(path: readonly string[]) {
    return this.base.readFile(this.p(path));
  }
  writeFile(path: readonly string[], data: Uint8Array, append?: boolean) {
    this.base.writeFile(this.p(path), data, append);
  }
  readdir(path: readonly string[]) {
    return this.base.readdir(this.p(path));
  }
  mkdir(path: readonly string[]) {
    this.base.mkdir(this.p(path));
  }
  unlink(path: readonly string[]) {
    this.base.unlink(this.p(path));
  }
  rmdir(path: readonly string[]) {
    this.base.rmdir(this.p(path));
  }
  rename(from: readonly string[], to: readonly string[]) {
    this.base.rename(this.p(from), this.p(to));
  }
}

// Workarounds for @bytecodealliance/preview2-shim 0.26 on Node, applied once per process before any instance runs.
import { types } from '@bytecodealliance/preview2-shim/filesystem';

let applied = false;

/**
 * `Descriptor.openAt` throws "unsupported" for the `mutate-directory` flag, which the wasi-libc preview1 adapter
 * (CPython) sets on every open and which wasmtime needs to create files in subdirectories. The shim does not
 * enforce directory rights at all (its confinement is path resolution below the preopen), so dropping the flag
 * grants nothing new.
 */
export function applyPreview2ShimFixes(): void {
  if (applied) return;
  applied = true;
  const proto = (types as unknown as { Descriptor: { prototype: Record<string, Function> } }).Descriptor.prototype;
  const openAt = proto.openAt!;
  proto.openAt = function (this: unknown, pathFlags: unknown, path: string, openFlags: unknown, descriptorFlags: Record<string, unknown>) {
    const flags = descriptorFlags?.mutateDirectory ? { ...descriptorFlags, mutateDirectory: false } : descriptorFlags;
    return openAt.call(this, pathFlags, path, openFlags, flags);
  };
}

// Read-only host mounts, enforced in the host (the guest is untrusted: its own checks are conveniences). Runs in a
// sandbox worker thread. preview2-shim 0.26 has no notion of read-only preopens, so:
// - the preopen descriptors of read-only mounts are marked when the guest asks for its preopens, and so is every
//   descriptor opened from a marked one (files and subdirectories inherit the mount's mode);
// - every Descriptor method that could change the host filesystem throws the WASI error code `read-only` for a
//   marked descriptor (the guest sees EROFS); opening with create/truncate/write does too.
// Descriptors of read-write mounts and of the workspace are untouched. Path confinement (no `..` above a preopen, no
// absolute symlink targets, relative ones resolved inside the preopen) is the shim's own `#getFullPath`.
import { types } from '@bytecodealliance/preview2-shim/filesystem';

type Descriptor = object;
type DescriptorMethod = (this: Descriptor, ...args: any[]) => any;

const readOnly = new WeakSet<Descriptor>();
const READ_ONLY = 'read-only'; // jco lowers a thrown string as the error-code of the call's result

/** Methods that change the filesystem through `this`. */
const MUTATING = ['write', 'writeViaStream', 'appendViaStream', 'setSize', 'setTimes', 'setTimesAt', 'createDirectoryAt',
  'unlinkFileAt', 'removeDirectoryAt', 'symlinkAt'] as const;
/** Methods that change the filesystem through `this` and the descriptor passed as their third argument. */
const MUTATING_PAIR = ['renameAt', 'linkAt'] as const;

let installed = false;

/** Wraps the shim's Descriptor methods once per thread; marked descriptors then refuse every mutation. */
export function installReadOnlyEnforcement(): void {
  if (installed) return;
  installed = true;
  const proto = (types as unknown as { Descriptor: { prototype: Record<string, DescriptorMethod> } }).Descriptor.prototype;
  const wrap = (name: string, replacement: (original: DescriptorMethod) => DescriptorMethod) => {
    const original = proto[name];
    if (typeof original !== 'function') throw new Error(`preview2-shim Descriptor has no method ${name}`);
    proto[name] = replacement(original);
  };
  for (const name of MUTATING) {
    wrap(name, (original) => function (this: Descriptor, ...args: unknown[]) {
      if (readOnly.has(this)) throw READ_ONLY;
      return original.apply(this, args);
    });
  }
  for (const name of MUTATING_PAIR) {
    // renameAt(oldPath, newDescriptor, newPath); linkAt(oldPathFlags, oldPath, newDescriptor, newPath). A rename out
    // of a read-only mount removes a file there; a hard link from it into a writable place would make it writable.
    const other = name === 'renameAt' ? 1 : 2;
    wrap(name, (original) => function (this: Descriptor, ...args: unknown[]) {
      if (readOnly.has(this) || readOnly.has(args[other] as Descriptor)) throw READ_ONLY;
      return original.apply(this, args);
    });
  }
  wrap('openAt', (original) => function (this: Descriptor, pathFlags: unknown, path: string, openFlags: Record<string, unknown>,
    descriptorFlags: Record<string, unknown>) {
    if (!readOnly.has(this)) return original.call(this, pathFlags, path, openFlags, descriptorFlags);
    if (openFlags?.create || openFlags?.truncate || descriptorFlags?.write) throw READ_ONLY;
    // `mutate-directory` is asked for by wasi-libc and the JS guest on every open; the result is marked read-only,
    // so it is dropped rather than refused.
    const opened = original.call(this, pathFlags, path, openFlags, { ...descriptorFlags, mutateDirectory: false });
    readOnly.add(opened);
    return opened;
  });
  wrap('getFlags', (original) => function (this: Descriptor) {
    const flags = original.call(this);
    if (!readOnly.has(this)) return flags;
    return { ...(flags ?? {}), read: true, write: false, mutateDirectory: false };
  });
}

/**
 * Replaces `imports`' wasi:filesystem/preopens (every version key) with one that marks the descriptors of the preopens
 * at `readOnlyPaths` (guest paths) before handing them to the guest.
 */
export function markReadOnlyPreopens(imports: Record<string, any>, readOnlyPaths: readonly string[]): void {
  if (readOnlyPaths.length === 0) return;
  installReadOnlyEnforcement();
  const paths = new Set(readOnlyPaths);
  for (const name of Object.keys(imports)) {
    if (!name.startsWith('wasi:filesystem/preopens')) continue;
    const original = imports[name];
    imports[name] = {
      ...original,
      getDirectories() {
        const entries = original.getDirectories() as [Descriptor, string][];
        for (const [descriptor, guestPath] of entries) if (paths.has(guestPath)) readOnly.add(descriptor);
        return entries;
      },
    };
  }
}

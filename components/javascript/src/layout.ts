// The guest directory layout: the second contract between the guests and their hosts, besides the WIT. Written down
// here for the JavaScript guest; components/python/golem_exec/layout.py is the Python guest's copy and
// host/src/engine/guest-layout.ts the hosts' mirror (the Node library's scratch sandboxes and sessions, the service's
// session store, the wasmtime host, the tests). Change all three together.
//
//   <first preopen>          the workspace: the host preopens it at /workspace (WORKSPACE_PATH); the guest takes
//                            whatever guest path the first preopen names (WORKSPACE_PATH when it names none)
//     session-<16 hex>/      one session's files and working directory; removed by close (or when the engine
//                            collects a dropped session); a host adopting an old workspace finds sessions by this name
//     run-<16 hex>/          one stateless run's files; this guest creates it on the program's first filesystem call
//                            and removes it after the run (the Python guest keeps one, emptied, for the next run)
//   <every later preopen>    a host directory mounted at its own guest path (mounts.ts), never under the workspace
//   MEMORY_ROOT              where the sandbox appears when the host preopened nothing (files in memory)

/** The guest path hosts preopen the workspace at. */
export const WORKSPACE_PATH = '/workspace';

/** Where a sandbox's root appears to programs when the host granted no directory. */
export const MEMORY_ROOT = '/sandbox';

/** The two kinds of private directory the guest makes in the workspace. */
export type SandboxKind = 'session' | 'run';

/** Random bytes in a sandbox directory's name (written as twice as many lowercase hex digits). */
export const SANDBOX_ID_BYTES = 8;

/** A fresh directory name for a sandbox of `kind`: `session-<16 hex>` / `run-<16 hex>`. */
export function sandboxDirName(kind: SandboxKind): string {
  const id = [...crypto.getRandomValues(new Uint8Array(SANDBOX_ID_BYTES))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${kind}-${id}`;
}

/** The workspace among the preopens (the first), or undefined when the host granted none. */
export function workspacePreopen<T>(preopens: readonly T[]): T | undefined {
  return preopens[0];
}

/** The mounts among the preopens: every one after the workspace. */
export function mountPreopens<T>(preopens: readonly T[]): T[] {
  return preopens.slice(1);
}

/** The guest path of the workspace preopen, absolute; WORKSPACE_PATH when the preopen names none (`.`, ``). */
export function workspaceGuestPath(preopen: string): string {
  const trimmed = preopen.replace(/^\.\/?/, '').replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : trimmed ? `/${trimmed}` : WORKSPACE_PATH;
}

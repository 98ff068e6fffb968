"""The guest directory layout: the second contract between the guests and their hosts, besides the WIT.

Written down here for the Python guest; components/javascript/src/layout.ts is the JavaScript guest's copy and
host/src/engine/guest-layout.ts the hosts' mirror (the Node library's scratch sandboxes and sessions, the service's
session store, the wasmtime host, the tests). Change all three together.

    <first preopen>          the workspace: the host preopens it at /workspace (WORKSPACE_PATH); the guest takes
                             whatever guest path the first preopen names
      session-<16 hex>/      one session's files and working directory; removed by close; a host adopting an old
                             workspace finds sessions by this name
      run-<16 hex>/          one stateless run's files; this guest keeps one, emptied after each run, for the next
                             stateless run of the instance (the JavaScript guest makes one per run and removes it)
    <every later preopen>    a host directory mounted at its own guest path, never under the workspace
    (no preopen)             the files live in memory, paths relative to the entry's directory
"""
import os

# The guest path hosts preopen the workspace at.
WORKSPACE_PATH = "/workspace"

# The two kinds of private directory the guest makes in the workspace.
SESSION = "session"
RUN = "run"

# Random bytes in a sandbox directory's name (written as twice as many lowercase hex digits).
SANDBOX_ID_BYTES = 8


def sandbox_dir_name(kind):
    """A fresh directory name for a sandbox of `kind` (SESSION or RUN): `session-<16 hex>` / `run-<16 hex>`."""
    return f"{kind}-{os.urandom(SANDBOX_ID_BYTES).hex()}"


def workspace_preopen(dirs):
    """The workspace among the preopens (the first), or None when the host granted none."""
    return dirs[0] if dirs else None


def mount_preopens(dirs):
    """The mounts among the preopens: every one after the workspace."""
    return dirs[1:]

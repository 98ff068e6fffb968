"""In-process guards for user code: file paths confined to the current run's root (and host mounts), and no network.

They are best effort inside one interpreter (user code shares it with the guest); the hard boundary is the component
and the directory the host preopens. What they guarantee is that ordinary file and network calls fail with a clear
Python exception instead of reaching another session's files or a host socket.
"""
import errno
import os
import socket
import sys

from . import files

# Audit events whose arguments name paths (index of each path argument), per the CPython audit events table.
_PATH_EVENTS = {
    "open": (0,), "os.listdir": (0,), "os.scandir": (0,), "os.chdir": (0,), "os.mkdir": (0,), "os.rmdir": (0,),
    "os.remove": (0,), "os.rename": (0, 1), "os.link": (0, 1), "os.symlink": (0, 1), "os.truncate": (0,),
    "os.utime": (0,), "os.chmod": (0,), "os.chown": (0,), "os.chflags": (0,), "os.listxattr": (0,),
    "os.getxattr": (0,), "os.setxattr": (0,), "os.removexattr": (0,), "shutil.rmtree": (0,),
    "shutil.copyfile": (0, 1), "shutil.copymode": (0, 1), "shutil.copystat": (0, 1), "shutil.copytree": (0, 1),
    "shutil.move": (0, 1), "shutil.chown": (0,), "shutil.make_archive": (2,), "shutil.unpack_archive": (0, 1),
    "sqlite3.connect": (0,), "glob.glob": (0,), "glob.glob/2": (0,), "pathlib.Path.glob": (0,),
    "pathlib.Path.rglob": (0,), "tempfile.mkstemp": (0,), "tempfile.mkdtemp": (0,),
}
# Audit events that start processes or touch the network: refused outright.
_DENIED_EVENTS = {
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "subprocess.Popen",
    "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg", "socket.__new__",
}
NO_NETWORK = "network access is disabled in this sandbox (golem-exec components import no wasi:sockets for user code)"

# Whether user code runs now, and the real path of the directory it is confined to (None: no filesystem at all).
_active = False
_root = None
# Real paths of the host directories mounted beside the workspace, open to user code as well. What a read-only mount
# refuses, and that nothing leaves a mount, is enforced by the host.
_mounts = ()
_installed = False


def _inside(path, dir_fd=None):
    if isinstance(path, int):
        return True  # an already open descriptor: it was checked when it was opened
    if isinstance(path, os.PathLike):
        path = path.__fspath__()
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        return True  # not a path (e.g. sqlite3's ":memory:" is handled below); CPython will reject it itself
    if path == ":memory:" or path == "":
        return True
    if dir_fd is not None and not os.path.isabs(path):
        return ".." not in path.split("/")
    real = os.path.realpath(path)
    return any(real == top or real.startswith(top + "/") for top in (_root, *_mounts))


def _hook(event, args):
    if not _active:
        return
    if event in _DENIED_EVENTS:
        if event.startswith("socket."):
            raise PermissionError(errno.EACCES, NO_NETWORK)
        raise PermissionError(errno.EPERM, f"{event}: starting processes is not supported in this sandbox")
    indexes = _PATH_EVENTS.get(event)
    if indexes is None or _root is None:
        return
    dir_fd = None
    if event.startswith("os.") and len(args) > 2 and isinstance(args[-1], int):
        dir_fd = args[-1]
    for i in indexes:
        if i < len(args) and args[i] is not None and not _inside(args[i], dir_fd):
            raise PermissionError(errno.EACCES, f"Permission denied: {args[i]!r} is outside the session's files")


def install():
    """Registers the audit hook once; it checks nothing until `confine` names a root."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def confine(root):
    """Confines user code to `root` (a directory, resolved here; None when there is no filesystem)."""
    global _active, _root, _mounts
    _root = None if root is None else files.real_root(root)
    _mounts = () if root is None else files.real_mounts()
    _active = True


def release():
    """Lifts the guards while the guest's own code runs."""
    global _active, _root, _mounts
    _active, _root, _mounts = False, None, ()


def _refuse(*_args, **_kwargs):
    raise PermissionError(errno.EACCES, NO_NETWORK)


# Name resolution and connections fail with one clear message whatever the host does (preview2-shim and wasmtime
# would refuse too, but with less helpful errors such as "unknown encoding: idna" or a bare EACCES).
for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo", "create_connection",
              "create_server", "socketpair", "fromfd"):
    if hasattr(socket, _name):
        setattr(socket, _name, _refuse)
socket.socket.__init__ = _refuse


def _exit(code):
    """os._exit would end the whole component instance (every session in it): end only the program instead."""
    raise SystemExit(code)


os._exit = _exit


def _patch_asyncio():
    """asyncio's selector loop wakes itself through a socketpair, which WASI lacks (and the network guard refuses).

    A program here has one thread and no signals, so nothing ever needs to wake the loop from outside: run it
    without the self-pipe.
    """
    import asyncio.selector_events as se

    def make_self_pipe(self):
        self._ssock = self._csock = None
        self._internal_fds += 0

    original_close = se.BaseSelectorEventLoop._close_self_pipe

    def close_self_pipe(self):
        if getattr(self, "_ssock", None) is not None:
            original_close(self)

    se.BaseSelectorEventLoop._make_self_pipe = make_self_pipe
    se.BaseSelectorEventLoop._close_self_pipe = close_self_pipe


_patch_asyncio()

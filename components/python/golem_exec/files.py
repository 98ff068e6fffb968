"""File names, file contents and the workspace directory the host preopens (its layout: layout.py)."""
import base64
import binascii
import os
import re
import shutil

from wit_world.exports.types import Encoding
from wit_world.imports import preopens

from . import layout


class BadInput(Exception):
    """A caller error; reported as `error.internal("bad input: ...")`."""


_HEX = re.compile(rb"(?:[0-9a-fA-F]{2})*")


def decode_content(file):
    """The bytes a WIT `file` stands for, decoded per its `encoding` (utf8 when none)."""
    enc = file.encoding if file.encoding is not None else Encoding.UTF8
    data = bytes(file.content)
    if enc == Encoding.UTF8:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise BadInput(f"file {file.name!r}: content is not valid UTF-8 ({err.reason} at byte {err.start})")
        return data
    if enc == Encoding.BASE64:
        try:
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as err:
            raise BadInput(f"file {file.name!r}: content is not valid base64 ({err})")
    if not _HEX.fullmatch(data):
        raise BadInput(f"file {file.name!r}: content is not valid hex (expected an even number of [0-9a-fA-F])")
    return bytes.fromhex(data.decode("ascii"))


def split_path(path, base=(), what="path"):
    """Resolves a relative '/'-separated `path` against `base` (parts below a root); returns the parts below the root.

    Absolute paths, empty names, NUL and any '..' that would leave the root are refused.
    """
    if not isinstance(path, str) or path == "":
        raise BadInput(f"{what} must be a non-empty relative path, got {path!r}")
    if "\0" in path:
        raise BadInput(f"{what} {path!r} contains NUL")
    if path.startswith("/") or path.startswith("\\") or re.match(r"^[A-Za-z]:[\\/]", path):
        raise BadInput(f"{what} {path!r} is absolute; only paths relative to the working directory are allowed")
    parts = list(base)
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise BadInput(f"{what} {path!r} leaves the session's root")
            parts.pop()
        else:
            parts.append(part)
    return parts


_workspace = False  # not read yet


def workspace():
    """The first directory the host preopened (the guest's workspace root), or None when it granted none."""
    global _workspace
    if _workspace is False:  # read at run time (never at build time): the preopens are fixed for the instance's life
        first = layout.workspace_preopen(preopens.get_directories())
        _workspace = first[1] if first else None
    return _workspace


_mounts = None


def mounts():
    """Guest paths of the host directories mounted beside the workspace: every preopen after the first."""
    global _mounts
    if _mounts is None:  # read at run time (never at build time): the preopens are fixed for the instance's life
        _mounts = tuple(path for _descriptor, path in layout.mount_preopens(preopens.get_directories()))
    return _mounts


_real_workspace = None
_real_mounts = None


def real_root(root):
    """The real path of a session's or run's root (`<workspace>/<name>`, made by `new_dir`), for the audit hook.

    The workspace's and the mounts' real paths are resolved once: the host's preopens stay what they are for the
    instance's life and user code cannot rename or replace them (they are outside its root). A root directly in the
    workspace is a directory the guest made there, so its real path follows; anything else is resolved in full.
    """
    global _real_workspace
    ws = workspace()
    parent, name = os.path.split(root)
    if ws is not None and parent == ws and name not in ("", ".", ".."):
        if _real_workspace is None:
            _real_workspace = os.path.realpath(ws)
        return os.path.join(_real_workspace, name)
    return os.path.realpath(root)


def real_mounts():
    """Real paths of the mounts (resolved once, see real_root)."""
    global _real_mounts
    if _real_mounts is None:
        _real_mounts = tuple(os.path.realpath(path) for path in mounts())
    return _real_mounts


def check_inside(root, path):
    """Refuses `path` when, with symlinks resolved, it is not `root` or below it."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if real != real_root and not real.startswith(real_root + "/"):
        raise BadInput(f"path {os.path.relpath(path, root)!r} resolves outside the session's root")
    return real


def new_dir(parent, kind):
    """Creates a fresh sandbox directory of `kind` (layout.SESSION or layout.RUN) in `parent`; returns its path."""
    while True:
        path = os.path.join(parent, layout.sandbox_dir_name(kind))
        try:
            os.mkdir(path)
            return path
        except FileExistsError:
            continue


def write_file(root, parts, data):
    """Writes `data` to root/parts..., creating directories; no path may resolve outside `root`."""
    path = os.path.join(root, *parts)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    check_inside(root, parent)
    if os.path.islink(path):
        os.unlink(path)  # write a new file rather than through a link
    check_inside(root, path)
    with open(path, "wb") as f:
        f.write(data)


def write_new_file(root, parts, data):
    """Writes a file of a stateless run into its fresh directory `root` (made by `new_dir` in this very call).

    No path checks are needed there: nothing in that directory existed before this call, the parts were validated
    (no '..', no absolute path), and O_EXCL refuses to write through anything that exists already, a symlink
    included. Plain os calls: three host calls for a small file (open() adds a stat and the buffered layers, and a
    plain write goes through a wasi:io output stream: check-write, write, flush and its disposal are host calls too).
    """
    if len(parts) > 1:
        os.makedirs(os.path.join(root, *parts[:-1]), exist_ok=True)
    try:
        fd = os.open(os.path.join(root, *parts), os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:  # the same name twice in one call: the last one wins, as before
        return write_file(root, parts, data)
    try:
        # pwrite is wasi:filesystem's positional write, one host call; write goes through an output stream (several).
        view, offset = memoryview(data), 0
        while offset < len(view):
            offset += os.pwrite(fd, view[offset:], offset)
    finally:
        os.close(fd)


def empty_run_dir(root, written):
    """Empties a stateless run's directory for the next run: the files written into it, their directories, and
    whatever the program added there; the common case costs a few calls. False if it could not be emptied."""
    try:
        for parts in written:
            os.unlink(os.path.join(root, *parts))
        dirs = {tuple(parts[:i]) for parts in written for i in range(1, len(parts))}
        for parts in sorted(dirs, key=len, reverse=True):
            os.rmdir(os.path.join(root, *parts))
        for entry in os.scandir(root):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        return True
    except OSError:
        return False


def list_files(root, start):
    """Files (not directories) under `start`, relative to it, '/'-separated, sorted; symlinks leaving root skipped."""
    out = []
    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(start):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            full = os.path.join(dirpath, name)
            real = os.path.realpath(full)
            if real.startswith(real_root + "/") and os.path.isfile(real):
                out.append(os.path.relpath(full, start).replace(os.sep, "/"))
    return sorted(out)


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)

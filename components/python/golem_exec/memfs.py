"""Files kept in memory for programs run without a host filesystem (the host preopened no directory).

Only the common calls are served: open() (text and binary, r/w/a/x and +), os.path.exists/isfile/isdir, os.listdir
and os.remove. They are installed for one run; the run's baseline restore puts the real functions back.
"""
import builtins
import errno
import io
import os


class _MemFile(io.BytesIO):
    def __init__(self, store, key, initial, writable):
        super().__init__(initial)
        self._store, self._key, self._writable = store, key, writable

    def flush(self):
        super().flush()
        if self._writable and not self.closed:
            self._store[self._key] = self.getvalue()

    def close(self):
        if not self.closed:
            self.flush()
        super().close()


def install(store, base):
    """Serves `store` ({"dir/name": bytes}) to open() and friends, relative paths resolved against `base` parts."""
    real_open = io.open
    real_exists, real_isfile, real_isdir = os.path.exists, os.path.isfile, os.path.isdir
    real_listdir, real_remove = os.listdir, os.remove

    def key(path):
        path = os.fspath(path)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        parts = list(base)
        if path.startswith("/"):
            raise PermissionError(errno.EACCES, "Permission denied (no filesystem: only the program's own files)", path)
        for part in path.split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    raise PermissionError(errno.EACCES, "Permission denied (outside the program's files)", path)
                parts.pop()
            else:
                parts.append(part)
        return "/".join(parts)

    def mem_open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
        if isinstance(file, int):
            return real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)
        k = key(file)
        exists = k in store
        if "x" in mode and exists:
            raise FileExistsError(errno.EEXIST, "File exists", file)
        if "r" in mode and not exists:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", file)
        writable = any(c in mode for c in "wax+")
        initial = b"" if "w" in mode or not exists else store[k]
        f = _MemFile(store, k, initial, writable)
        if writable and not exists:
            store[k] = initial
        if "a" in mode:
            f.seek(0, io.SEEK_END)
        if "b" in mode:
            return f
        return io.TextIOWrapper(f, encoding=encoding or "utf-8", errors=errors, newline=newline, write_through=True)

    def is_dir(k):
        return k == "" or any(name.startswith(k + "/") for name in store)

    def exists(path):
        try:
            k = key(path)
        except (OSError, TypeError, ValueError):
            return False
        return k in store or is_dir(k)

    def isfile(path):
        try:
            return key(path) in store
        except (OSError, TypeError, ValueError):
            return False

    def isdir(path):
        try:
            return is_dir(key(path))
        except (OSError, TypeError, ValueError):
            return False

    def listdir(path="."):
        k = key(path)
        if not is_dir(k):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        prefix = k + "/" if k else ""
        return sorted({name[len(prefix):].split("/")[0] for name in store if name.startswith(prefix)})

    def remove(path, *, dir_fd=None):
        k = key(path)
        if k not in store:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        del store[k]

    builtins.open = io.open = mem_open
    os.path.exists, os.path.isfile, os.path.isdir = exists, isfile, isdir
    os.listdir, os.remove, os.unlink = listdir, remove, remove

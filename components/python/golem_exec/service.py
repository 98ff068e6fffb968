"""The operations behind the exported WIT functions: language checks, stateless runs and sessions."""
import errno
import functools
import os

from componentize_py_types import Err
from wit_world.exports.repl import EvalResult
from wit_world.exports.types import (
    Error_Internal, Error_ResourceExceeded, Error_Timeout, Error_UnsupportedLanguage, ExecEvent_Failed, ExecEvent_Finished, ExecEvent_StderrChunk,
    ExecEvent_StdoutChunk, LanguageKind,
)

from . import files, layout, runner, sandbox, settings

NO_FILESYSTEM = ("no filesystem: the host granted this component no preopened directory, "
                 "so session files cannot be read back")
# The Python versions this component answers to (it bundles CPython 3.14); any other version is refused.
SUPPORTED_VERSIONS = ("3", "3.14")


def supported(lang):
    """Whether `lang` asks for the CPython this component runs (kind python; version none, 3, 3.14 or 3.14.x)."""
    if lang.kind != LanguageKind.PYTHON:
        return False
    v = lang.version
    return v is None or v.strip() in SUPPORTED_VERSIONS or v.strip().startswith("3.14.")


def unsupported():
    return Err(Error_UnsupportedLanguage())


def internal(message):
    return Err(Error_Internal(message))


def guarded(fn):
    """Every exported call: settings loaded, audit hook installed, and guest faults reported as `error.internal`
    (a MemoryError as `error.resource-exceeded`)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        settings.load()
        sandbox.install()
        try:
            return fn(*args, **kwargs)
        except Err:
            raise
        except files.BadInput as err:
            raise internal(f"bad input: {err}")
        except MemoryError:
            # Out of memory outside the program's own frames (assembling its result, its output): the same limit.
            raise Err(Error_ResourceExceeded())
        except OSError as err:
            # A write of the call's own (an upload) refused by the host for the file-size limit or the disk quota.
            if err.errno in (errno.EFBIG, errno.ENOSPC, errno.EDQUOT):
                raise Err(Error_ResourceExceeded())
            raise internal(f"internal error: {type(err).__name__}: {err}")
        except Exception as err:
            raise internal(f"internal error: {type(err).__name__}: {err}")

    return wrapper


def streamed(fn):
    """Runs `fn(on_chunk)` eagerly and returns the list of events it produced, the last one finished or failed."""
    events = []

    def on_chunk(kind, data):
        events.append(ExecEvent_StdoutChunk(data) if kind == "stdout" else ExecEvent_StderrChunk(data))

    try:
        result = guarded(fn)(on_chunk)
        events.append(ExecEvent_Finished(result))
    except Err as err:
        events.append(ExecEvent_Failed(err.value))
    return events


def prepare_files(wit_files):
    """Validates every file (name and content) before anything is written; returns [(parts, bytes)]."""
    if not wit_files:
        raise files.BadInput("files is empty: the first file is the entry point")
    return [(files.split_path(f.name, (), "file name"), files.decode_content(f)) for f in wit_files]


def run_stateless(lang, wit_files, stdin, args, env, limits, on_chunk=None):
    if not supported(lang):
        raise unsupported()
    prepared = prepare_files(wit_files)
    if limits is not None and limits.file_size_bytes is not None:
        # A file larger than the run's file-size limit is refused before anything is written (as in JavaScript).
        if any(len(data) > limits.file_size_bytes for _parts, data in prepared):
            raise Err(Error_ResourceExceeded())
    entry_parts = prepared[0][0]
    entry = "/".join(entry_parts)
    ws = files.workspace()
    if ws is None:
        memory = {"/".join(parts): data for parts, data in prepared}
        program = runner.Program(entry, memory[entry], memory_files=memory, entry_dir=entry_parts[:-1])
        return runner.execute(program, args, stdin, env, limits, on_chunk, on_chunk is not None)
    root = _stateless_root(ws)
    try:
        for parts, data in prepared:
            files.write_new_file(root, parts, data)
        entry_path = os.path.join(root, *entry_parts)
        program = runner.Program(entry, prepared[0][1], root=root, cwd=root, script_dir=os.path.dirname(entry_path))
        return runner.execute(program, args, stdin, env, limits, on_chunk, on_chunk is not None)
    finally:
        _release_stateless_root(root, [parts for parts, _data in prepared])


# A stateless run's directory, kept (empty) for the next stateless run of this instance: creating and removing a
# directory per run cost more than the rest of a hello-world run (rmdir alone ~2.5 ms on the ext4 disk of the Node
# host's tests; unlinking a file ~0.03 ms). Each run still starts in an empty directory of its own: one run at a time
# per instance, and everything the run left is removed before the next one (or the directory is given up for a new
# one if that fails).
_reusable_run_dir = None


def _stateless_root(ws):
    global _reusable_run_dir
    root, _reusable_run_dir = _reusable_run_dir, None
    # The host may have emptied the workspace meanwhile (the Node host removes what runs leave beside their directory).
    return root if root is not None and os.path.isdir(root) else files.new_dir(ws, layout.RUN)


def _release_stateless_root(root, written):
    global _reusable_run_dir
    if files.empty_run_dir(root, written):
        _reusable_run_dir = root
    else:
        files.remove_tree(root)


class SessionState:
    """One session: its root directory (or in-memory files) and working directory."""

    def __init__(self, lang):
        self.supported = supported(lang)
        self.closed = False
        self.root = None
        self.cwd = []  # parts of the working directory below the root
        self.memory = None
        self.broken = None
        self.repl = runner.Repl()
        if not self.supported:
            return
        try:
            ws = files.workspace()
            if ws is None:
                self.memory = {}
            else:
                self.root = files.new_dir(ws, layout.SESSION)
        except Exception as err:  # a constructor cannot return an error: report it from every call instead
            self.broken = f"could not create the session directory: {err}"

    def check(self):
        if not self.supported:
            raise unsupported()
        if self.closed:
            raise internal("session is closed")
        if self.broken:
            raise internal(self.broken)

    def _path(self, parts):
        path = os.path.join(self.root, *parts)
        files.check_inside(self.root, path)
        return path

    def upload(self, wit_file):
        self.check()
        parts = files.split_path(wit_file.name, self.cwd, "file name")
        data = files.decode_content(wit_file)
        if self.root is None:
            self.memory["/".join(parts)] = data
        else:
            files.write_file(self.root, parts, data)

    def run(self, entrypoint, args, stdin, env, limits, on_chunk=None):
        self.check()
        parts = files.split_path(entrypoint, self.cwd, "entrypoint")
        if self.root is None:
            key = "/".join(parts)
            if key not in self.memory:
                raise files.BadInput(f"entrypoint {entrypoint!r} does not exist")
            program = runner.Program(entrypoint, self.memory[key], memory_files=self.memory, entry_dir=parts[:-1])
        else:
            path = self._path(parts)
            if not os.path.isfile(path):
                raise files.BadInput(f"entrypoint {entrypoint!r} does not exist")
            with open(path, "rb") as f:
                source = f.read()
            program = runner.Program(entrypoint, source, root=self.root, cwd=os.path.join(self.root, *self.cwd),
                                     script_dir=os.path.dirname(path))
        return runner.execute(program, args, stdin, env, limits, on_chunk, on_chunk is not None)

    def eval(self, code, limits):
        """Evaluates `code` in the session's REPL state (runner.Repl), in the working directory, beside its files."""
        self.check()
        source = code.encode("utf-8")
        if self.root is None:
            program = runner.Program("<stdin>", source, memory_files=self.memory, entry_dir=tuple(self.cwd),
                                     repl=self.repl)
        else:
            cwd = os.path.join(self.root, *self.cwd)
            program = runner.Program("<stdin>", source, root=self.root, cwd=cwd, script_dir=cwd, repl=self.repl)
        try:
            result = runner.execute(program, [], "", [], limits)
        except Err as err:
            # A stopped evaluation may have left its state half-changed: it is discarded (the files stay).
            if isinstance(err.value, (Error_Timeout, Error_ResourceExceeded)):
                self.repl = runner.Repl()
            raise
        run = result.run
        return EvalResult(run.stdout, run.stderr, self.repl.value, result.time_ms, result.memory_bytes)

    def _file(self, path):
        """The host path of one of the session's files (relative to the working directory), or BadInput."""
        self.check()
        parts = files.split_path(path, self.cwd, "path")
        if self.root is None:
            raise internal(NO_FILESYSTEM)
        full = self._path(parts)
        if not os.path.isfile(full):
            raise files.BadInput(f"path {path!r} is not a file of this session")
        return full

    def download(self, path):
        with open(self._file(path), "rb") as f:
            return f.read()

    def remove(self, path):
        """The files interface's remove (app.py): deletes one file, never a directory."""
        os.remove(self._file(path))

    def list_files(self, dir):
        self.check()
        parts = files.split_path(dir or ".", self.cwd, "dir")
        if self.root is None:
            raise internal(NO_FILESYSTEM)
        full = self._path(parts)
        if not os.path.isdir(full):
            raise files.BadInput(f"dir {dir!r} is not a directory of this session")
        return files.list_files(self.root, full)

    def set_working_dir(self, path):
        self.check()
        parts = files.split_path(path, self.cwd, "path")
        if self.root is None:
            prefix = "/".join(parts) + "/"
            if parts and not any(name.startswith(prefix) for name in self.memory):
                raise files.BadInput(f"path {path!r} is not a directory of this session")
        elif not os.path.isdir(self._path(parts)):
            raise files.BadInput(f"path {path!r} is not a directory of this session")
        self.cwd = parts

    def close(self):
        if self.root is not None:
            files.remove_tree(self.root)
        self.root = None
        self.memory = None
        self.closed = True

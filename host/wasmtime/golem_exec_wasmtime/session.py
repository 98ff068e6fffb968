"""Sessions: files and a working directory that outlive every run, and nothing else.

A session's guest object lives in the sandbox's session instance, which serves its bookkeeping calls (upload,
download, list-files, set-working-dir, close) and never runs a program. Each run of the session gets a pristine
instance of its own with a new guest session holding the session's directory (lent for the run) and working directory
(see instance.Run.open_session). The host remembers what it needs to do that: the session's directory on the host,
its working directory, and for a sandbox without a filesystem the uploads, which live in guest memory.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from wasmtime import WasmtimeError
from wasmtime.component import Record

from .instance import Run, session_dirs
from .runtime import FILES_REMOVE, REPL_EVAL
from .limits import guest_limits, trap_outcome
from .stream import ExecStream
from .values import Outcome, error, wit_file

if TYPE_CHECKING:
    from .sandbox import Sandbox


def _join(cwd: list[str], path: str) -> Optional[list[str]]:
    """`path` resolved against the working directory as the guests do ('/'-separated, '.' and '' skipped, '..' up);
    None when it leaves the root (the guest refuses those)."""
    parts = list(cwd)
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return parts


class Session:
    """A session resource of the sandbox; runs get pristine instances, the files and working directory carry over."""

    def __init__(self, sandbox: "Sandbox", language: Record):
        self.sandbox = sandbox
        self.language = language
        self._handle: Any = None
        self._generation = 0
        #: The session's directory on the host (None: the sandbox has no filesystem, files live in guest memory).
        self.directory: Optional[Path] = None
        #: The working directory, as parts below the session's root.
        self.cwd: list[str] = []
        #: Without a filesystem: the uploads (name from the root, content, encoding), replayed into each run.
        self.memory_uploads: list[tuple[str, bytes, Optional[str]]] = []
        self.closed = False
        self._open()

    # -- the guest object in the session instance ----------------------------------------------------------------------

    def _sessions_on_disk(self) -> set[Path]:
        """The guest names a session's directory itself (session-<random>): the host finds it by what appeared."""
        return set(session_dirs(Path(self.sandbox.directory))) if self.sandbox.directory else set()

    def _open(self) -> None:
        """Opens the guest session in the (current) session instance; after a replacement, it adopts the session's
        directory and working directory."""
        before = self._sessions_on_disk()
        instance = self.sandbox.sessions_instance()
        self._handle = instance.call("[constructor]session", self.language)
        self._generation = self.sandbox.sessions_generation
        created = self._sessions_on_disk() - before
        previous, self.directory = self.directory, (created.pop() if len(created) == 1 else None)
        if previous and self.directory and previous.exists():
            self.directory.rmdir()
            os.rename(previous, self.directory)
        for name, content, encoding in self.memory_uploads:
            instance.call("[method]session.upload", self._handle, wit_file(name, content, encoding))
        if self.cwd:
            instance.call("[method]session.set-working-dir", self._handle, "/".join(self.cwd))

    def _handle_now(self) -> Any:
        """The guest session's handle in the current session instance."""
        if self.sandbox.sessions_generation != self._generation:
            self._open()  # the session instance was replaced: a new guest session with the same files
        return self._handle

    def _call(self, method: str, *args: Any) -> Outcome:
        self.sandbox.sessions_instance()
        return self.sandbox.session_call(f"[method]session.{method}", self._handle_now(), *args)

    # -- golem:exec/executor#session -----------------------------------------------------------------------------------

    def upload(self, name: str, content: bytes, encoding: Optional[str] = None) -> Outcome:
        """Writes a file (relative to the working directory); without a filesystem the host keeps a copy to replay
        into each run's instance, since the file lives in the session instance's memory."""
        outcome = self._call("upload", wit_file(name, content, encoding))
        parts = _join(self.cwd, name)
        if outcome["ok"] and self.directory is None and parts:
            self.memory_uploads.append(("/".join(parts), bytes(content), encoding))
        return outcome

    def run(self, entrypoint: str, *, args: list[str] = (), stdin: Optional[str] = None,
            env: list[tuple[str, str]] = (), limits: Optional[dict] = None) -> Outcome:
        """Runs `entrypoint` in a pristine instance holding the session's files. A closed session is refused here:
        the run's fresh guest session knows nothing of the close."""
        if self.closed:
            return error("internal", "session is closed")
        call = (entrypoint, list(args), stdin, [tuple(e) for e in env], guest_limits(limits))
        with Run(self.sandbox) as run:
            try:
                handle = run.open_session(self)
            except WasmtimeError as failure:
                return trap_outcome(failure, None)
            return run.outcome("[method]session.run", handle, *call, limits=limits)

    def run_streaming(self, entrypoint: str, *, args: list[str] = (), stdin: Optional[bytes] = b"",
                      env: list[tuple[str, str]] = (), limits: Optional[dict] = None) -> ExecStream:
        """As run(), streamed: the events of the finished run."""
        if self.closed:
            return ExecStream.failed(error("internal", "session is closed"))
        call = (entrypoint, list(args), stdin, [tuple(e) for e in env], guest_limits(limits))
        with Run(self.sandbox) as run:
            try:
                handle = run.open_session(self)
            except WasmtimeError as failure:
                return ExecStream.failed(trap_outcome(failure, None))
            return ExecStream(run.events("[method]session.run-streaming", handle, *call, limits=limits))

    # -- golem:exec/repl -------------------------------------------------------------------------------------------------

    def eval(self, code: str, *, limits: Optional[dict] = None) -> Outcome:
        """Evaluates `code` in the session's REPL state. Unlike a run, in the session instance itself: its guest
        session holds the state. An evaluation stopped at a limit traps that instance; the next call gets a new one
        (with the files, without the REPL state)."""
        if self.closed:
            return error("internal", "session is closed")
        self.sandbox.sessions_instance()
        return self.sandbox.session_call(REPL_EVAL, self._handle_now(), code, guest_limits(limits),
                                         deadline_ms=self.sandbox.defaults.time_ms(limits))

    def download(self, path: str) -> Outcome:
        return self._call("download", path)

    def remove(self, path: str) -> Outcome:
        """Deletes a file of the session (golem:exec/files#remove; relative to the working directory)."""
        if self.closed:
            return error("internal", "session is closed")
        self.sandbox.sessions_instance()
        return self.sandbox.session_call(FILES_REMOVE, self._handle_now(), path)

    def list_files(self, directory: str) -> Outcome:
        return self._call("list-files", directory)

    def set_working_dir(self, path: str) -> Outcome:
        """Changes the working directory; the host tracks it (resolved, so one call replays it into a run)."""
        outcome = self._call("set-working-dir", path)
        parts = _join(self.cwd, path)
        if outcome["ok"] and parts is not None:
            self.cwd = parts
        return outcome

    def close(self) -> None:
        self._call("close")
        self.closed = True

    def drop(self) -> None:
        """Drops the handle without close (the guest's destructor runs)."""
        instance = self.sandbox._sessions_instance
        if instance is not None and self._generation == self.sandbox.sessions_generation and self._handle is not None:
            self._handle.drop(instance.store)
        self._handle = None
        self.closed = True

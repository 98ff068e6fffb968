"""The sandbox: a language, a host directory, an environment and stdio, and a pristine instance for every run."""
from __future__ import annotations

import shutil
import tempfile
from typing import Any, Optional

from wasmtime import WasmtimeError

from .instance import BOOKKEEPING_MS, Instance, OutputSink, Run, stopped_outcome
from .limits import Defaults, guest_limits, trap_outcome
from .runtime import Runtime
from .session import Session
from .stream import ExecStream
from .values import Outcome, outcome_of, wit_file, wit_language

#: Guest flags (the guest's own environment): the host resets state between runs / stops runs at their time limit.
HOST_FLAGS = {"EXEC_HOST_ISOLATION": "1", "EXEC_HOST_TIMEOUT": "1", "EXEC_MIRROR_OUTPUT": "1"}


class Sandbox:
    """Runs programs of one language, each `run` / `run_streaming` (and each run of a session) in a new instance of
    the compiled component: nothing a run did to memory, globals, tables or host-side handles is there for a later
    run. Sessions keep their files (in their directory under `directory`) and working directory; their bookkeeping
    calls (upload, download, list-files, set-working-dir, close) go to one session instance that never runs a program.

    language: which component ("javascript" or "python").
    directory: host directory preopened at /workspace (default: a fresh temporary directory, removed by close());
        each run sees only its own part of it. preopen=False grants no filesystem at all.
    env: the instances' WASI environment (the EXEC_* defaults the guest reads; never the program's env). Its
        EXEC_TIMEOUT_MS / EXEC_MEMORY_LIMIT_MB / EXEC_OUTPUT_LIMIT_BYTES also set the host's defaults unless
        timeout_ms / memory_limit / output_limit are given.
    stdout / stderr: receive what the component writes to its own stdio (every run's output as it is produced, since
        the host sets EXEC_MIRROR_OUTPUT=1; a program's raw descriptor writes), capped per call like the run's output.
    timeout_ms / memory_limit / output_limit: defaults for calls that give no time-ms / memory-bytes (EXEC_TIMEOUT_MS,
        default 5000; EXEC_MEMORY_LIMIT_MB, default none; EXEC_OUTPUT_LIMIT_BYTES, default 1 MiB per stream).
    """

    def __init__(self, language: str, *, runtime: Optional[Runtime] = None, directory: Optional[str] = None,
                 preopen: bool = True, env: Optional[dict[str, str]] = None, stdout: Optional[OutputSink] = None,
                 stderr: Optional[OutputSink] = None, timeout_ms: Optional[int] = None,
                 memory_limit: Optional[int] = None, output_limit: Optional[int] = None):
        self.language = language
        self.runtime = runtime or Runtime.shared()
        self.runtime.component(language)  # compile (or load) now, not inside the first run's time
        self._own_directory = preopen and directory is None
        self.directory = (directory or tempfile.mkdtemp(prefix=f"golem-exec-wasmtime-{language}-")) if preopen else None
        env = dict(env or {})
        self.defaults = Defaults.resolve(env, timeout_ms=timeout_ms, memory_limit=memory_limit,
                                         output_limit=output_limit)
        # The guest reads its defaults from its own environment: the same values as the host's.
        self.env = {**env, "EXEC_TIMEOUT_MS": str(self.defaults.timeout_ms),
                    "EXEC_OUTPUT_LIMIT_BYTES": str(self.defaults.output_bytes), **HOST_FLAGS}
        if self.defaults.memory_bytes is not None:
            self.env["EXEC_MEMORY_LIMIT_MB"] = str(self.defaults.memory_bytes // (1024 * 1024))
        self.stdout = stdout or (lambda _b: None)
        self.stderr = stderr or (lambda _b: None)
        self._sessions_instance: Optional[Instance] = None
        #: Bumped whenever the session instance is replaced: sessions then re-open in the new one.
        self.sessions_generation = 0
        #: How many instances were made, and how many calls a host limit stopped (for tests and reports).
        self.instances = 0
        self.stopped = 0

    @property
    def timeout_ms(self) -> int:
        """The default time limit (kept from the single-file host's API)."""
        return self.defaults.timeout_ms

    @property
    def memory_limit(self) -> Optional[int]:
        """The default memory cap (kept from the single-file host's API)."""
        return self.defaults.memory_bytes

    # -- instances -------------------------------------------------------------------------------------------------

    def new_instance(self, workspace: Optional[str]) -> Instance:
        """A pristine instance with `workspace` preopened at /workspace."""
        self.instances += 1
        # Indirection: the sinks may be swapped after instantiation (a driver capturing one call's output).
        return Instance(self.runtime, self.language, workspace=workspace, env=self.env,
                        stdout=lambda data: self.stdout(data), stderr=lambda data: self.stderr(data),
                        output_limit=self.defaults.output_bytes)

    def sessions_instance(self) -> Instance:
        """The instance that holds the sessions' guest objects for their bookkeeping calls (it runs no program)."""
        if self._sessions_instance is None:
            self._sessions_instance = self.new_instance(self.directory)
            self.sessions_generation += 1
        return self._sessions_instance

    def session_call(self, name: str, *args: Any, deadline_ms: int = BOOKKEEPING_MS) -> Outcome:
        """A call in the session instance (bookkeeping, or a REPL evaluation); a trap there (an upload past the memory
        cap, an evaluation past its time limit) replaces it."""
        cap = self.defaults.memory_bytes
        instance = self.sessions_instance()
        try:
            return outcome_of(instance.call(name, *args, deadline_ms=deadline_ms, memory_cap=cap))
        except WasmtimeError as failure:
            self._sessions_instance = None
            return stopped_outcome(trap_outcome(failure, cap), instance)

    # -- golem:exec/executor -----------------------------------------------------------------------------------------

    def run(self, files: list[tuple[str, bytes] | tuple[str, bytes, Optional[str]]], *, stdin: Optional[str] = None,
            args: list[str] = (), env: list[tuple[str, str]] = (), limits: Optional[dict] = None,
            language: Optional[str] = None, version: Optional[str] = None) -> Outcome:
        """executor.run: files are (name, content[, encoding]); the first is the entry point."""
        call = self._run_args(files, stdin, args, env, limits, language, version)
        with Run(self) as run:
            return run.outcome("run", *call, limits=limits)

    def run_streaming(self, files: list, *, stdin: Optional[bytes] = b"", args: list[str] = (),
                      env: list[tuple[str, str]] = (), limits: Optional[dict] = None, language: Optional[str] = None,
                      version: Optional[str] = None) -> ExecStream:
        """executor.run-streaming; stdin None lets the program read the component's own (empty) stdin."""
        call = self._run_args(files, stdin, args, env, limits, language, version)
        with Run(self) as run:
            return ExecStream(run.events("run-streaming", *call, limits=limits))

    def _run_args(self, files, stdin, args, env, limits, language, version) -> tuple:
        return (wit_language(language or self.language, version), [wit_file(*f) for f in files], stdin, list(args),
                [tuple(e) for e in env], guest_limits(limits))

    def session(self, language: Optional[str] = None, version: Optional[str] = None) -> Session:
        return Session(self, wit_language(language or self.language, version))

    def close(self) -> None:
        self._sessions_instance = None
        if self._own_directory and self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

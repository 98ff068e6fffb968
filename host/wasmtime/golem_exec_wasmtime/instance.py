"""Component instances: one per run, from the compiled component's pristine state, and gone when the run is over.

A run's instance has its own Store (so its own linear memories, globals, tables and resource handles) and its own
WASI context: the sandbox's environment, its stdio forwarded through per-run output caps, and as /workspace a fresh
directory that holds only what the run may see (nothing for a stateless run; for a session run, the session's
directory, lent for the run and given back after it). Nothing a run did is left for a later run to find except the
session files it wrote.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from wasmtime import Store, WasiConfig, WasmtimeError

from .limits import NO_MEMORY_LIMIT, StreamCap, cap_outcome, epoch_ticks, memory_outcome, trap_outcome
from .runtime import Runtime, on_wasm_stack
from .values import Outcome, outcome_of, to_python, wit_file

if TYPE_CHECKING:
    from .sandbox import Sandbox
    from .session import Session

GUEST_DIR = "/workspace"
#: A guest session's directory in the workspace (the guests' layout.ts / layout.py; host/src/engine/guest-layout.ts).
SESSION_DIR = re.compile(r"session-[0-9a-f]{16}")
#: Deadline of the calls that run no program (session bookkeeping, draining a finished stream): only a backstop.
BOOKKEEPING_MS = 60_000
#: Prefix of the per-run workspaces inside the sandbox directory (on its filesystem, so session files move by rename).
RUN_WORKSPACE_PREFIX = ".golem-run-"

OutputSink = Callable[[bytes], None]


class Instance:
    """One instance of a component in its own Store."""

    def __init__(self, runtime: Runtime, language: str, *, workspace: Optional[str], env: dict[str, str],
                 stdout: OutputSink, stderr: OutputSink, output_limit: int):
        self.runtime = runtime
        self.language = language
        self.store = Store(runtime.engine)
        wasi = WasiConfig()
        if workspace:
            wasi.preopen_dir(workspace, GUEST_DIR)
        wasi.env = list(env.items())
        # Whatever the component writes to its own stdio (every run's output, EXEC_MIRROR_OUTPUT; a program's raw
        # descriptor writes) is capped per call, forwarded to the sandbox's sinks and kept as what the call printed.
        # (Not a closure over self: the store holds the WASI config, so that would be a cycle keeping the store alive
        # past runtime.discard, until a garbage collection.)
        self.output = CallOutput(output_limit)
        output = self.output
        wasi.stdout_custom = lambda data: _forward(stdout, output.keep("stdout", data))
        wasi.stderr_custom = lambda data: _forward(stderr, output.keep("stderr", data))
        self.store.set_wasi(wasi)
        self.store.set_epoch_deadline(epoch_ticks(BOOKKEEPING_MS))
        self.instance = runtime.linker.instantiate(self.store, runtime.component(language))
        self._funcs: dict[str, Any] = {}

    def call(self, name: str, *args: Any, deadline_ms: Optional[int] = BOOKKEEPING_MS,
             memory_cap: Optional[int] = None) -> Any:
        """Calls `golem:exec/executor#name` under a deadline and a memory cap; raises WasmtimeError on a trap."""
        if name not in self._funcs:
            self._funcs[name] = self.instance.get_func(self.store, self.runtime.export(self.language, name))
        self.store.set_limits(memory_size=NO_MEMORY_LIMIT if memory_cap is None else memory_cap)
        self.store.set_epoch_deadline(epoch_ticks(deadline_ms))
        func = self._funcs[name]
        self.output.start()
        return on_wasm_stack(lambda: func(self.store, *args))

    def printed(self) -> dict[str, str]:
        """What the last call wrote to the component's stdio (capped): a stopped run's output so far."""
        return self.output.printed()


def session_dirs(workspace: Path) -> list[Path]:
    """The guest session directories in a workspace: real directories with a guest's name (not files, not links)."""
    return [entry for entry in workspace.iterdir()
            if SESSION_DIR.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink()]


class CallOutput:
    """What one call writes to the component's stdio: capped per stream (StreamCap), and kept."""

    def __init__(self, limit: int):
        self.limit = limit
        self.start()

    def start(self) -> None:
        self.caps = {kind: StreamCap(kind, self.limit) for kind in ("stdout", "stderr")}
        self.kept = {"stdout": bytearray(), "stderr": bytearray()}

    def keep(self, kind: str, data: bytes) -> bytes:
        passed = self.caps[kind].take(data)
        self.kept[kind] += passed
        return passed

    def printed(self) -> dict[str, str]:
        return {kind: bytes(data).decode("utf-8", errors="replace") for kind, data in self.kept.items()}


def stopped_outcome(outcome: Outcome, instance: Instance) -> Outcome:
    """A trap's outcome with what the call printed before it (`printed`: the WIT's timeout and resource-exceeded
    carry no output)."""
    return {**outcome, "printed": instance.printed()}


def _forward(sink: OutputSink, data: bytes) -> None:
    """Hands capped bytes to the sandbox's sink; a failing sink must not fail the guest's write."""
    if data:
        try:
            sink(data)
        except Exception:  # noqa: BLE001 - the caller's sink; the run goes on
            pass


class Run:
    """One run's instance and workspace, removed by close(): use as a context manager."""

    def __init__(self, sandbox: "Sandbox"):
        self.sandbox = sandbox
        self.workspace = tempfile.mkdtemp(prefix=RUN_WORKSPACE_PREFIX, dir=sandbox.directory) \
            if sandbox.directory else None
        self._give_back: list[Callable[[], None]] = []
        self.instance: Optional[Instance] = None
        try:
            self.instance = sandbox.new_instance(self.workspace)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Gives lent session directories back, then drops the instance (freed in the background) and the
        workspace."""
        for give_back in reversed(self._give_back):
            give_back()
        self._give_back.clear()
        if self.instance is not None:
            self.sandbox.runtime.discard(self.instance)
            self.instance = None
        if self.workspace:
            shutil.rmtree(self.workspace, ignore_errors=True)

    # -- sessions ------------------------------------------------------------------------------------------------------

    def open_session(self, session: "Session") -> Any:
        """A guest session in this instance holding `session`'s files and working directory: the guest makes an
        empty session directory, the host puts the session's own directory in its place for the run (a rename, so
        no copy) and replays the working directory; a session without a preopened directory gets its uploads
        replayed instead (what its runs wrote stays in their instances' memory, and is gone with them)."""
        handle = self.instance.call("[constructor]session", session.language)
        created = session_dirs(Path(self.workspace)) if self.workspace else []
        if session.directory is not None and session.directory.is_dir() and len(created) == 1:
            lent = created[0]
            lent.rmdir()
            os.rename(session.directory, lent)
            self._give_back.append(lambda: _give_back(lent, session.directory))
        for upload in session.memory_uploads:
            self.instance.call("[method]session.upload", handle, wit_file(*upload))
        if session.cwd:
            self.instance.call("[method]session.set-working-dir", handle, "/".join(session.cwd))
        return handle

    # -- calls ---------------------------------------------------------------------------------------------------------

    def outcome(self, name: str, *args: Any, limits: Optional[dict]) -> Outcome:
        """A run's call (result<exec-result, error>) under the run's limits, its output capped."""
        defaults = self.sandbox.defaults
        cap = defaults.memory_cap(limits)
        try:
            value = self.instance.call(name, *args, deadline_ms=defaults.time_ms(limits), memory_cap=cap)
        except WasmtimeError as failure:
            self.sandbox.stopped += 1
            return stopped_outcome(trap_outcome(failure, cap), self.instance)
        return cap_outcome(memory_outcome(outcome_of(value), cap), defaults.output_bytes)

    def events(self, name: str, *args: Any, limits: Optional[dict]) -> list[dict]:
        """A streamed run's events, read to the end now (both guests run the program inside the call that returns
        the stream, so every event is already there): chunks capped per stream, the final event as `outcome`."""
        defaults = self.sandbox.defaults
        cap = defaults.memory_cap(limits)
        caps = {"stdout-chunk": StreamCap("stdout", defaults.output_bytes),
                "stderr-chunk": StreamCap("stderr", defaults.output_bytes)}
        events: list[dict] = []
        try:
            handle = self.instance.call(name, *args, deadline_ms=defaults.time_ms(limits), memory_cap=cap)
            while batch := self.instance.call("[method]exec-stream.blocking-get-next", handle, memory_cap=cap):
                for event in to_python(batch):
                    events.extend(_capped_event(event, caps, cap, defaults.output_bytes))
        except WasmtimeError as failure:
            self.sandbox.stopped += 1
            # The stopped call returned no events: what it printed (its stdio, EXEC_MIRROR_OUTPUT) stands for them.
            for kind, text in self.instance.printed().items():
                if text:
                    events.append({"tag": f"{kind}-chunk", "val": text.encode()})
            events.append({"tag": "failed", "val": trap_outcome(failure, cap)["error"]})
        return events


def _capped_event(event: dict, caps: dict[str, StreamCap], memory_cap: Optional[int], output_limit: int) -> list[dict]:
    """The event as the caller gets it: a chunk cut by its stream's cap (nothing once cut), a final event with its
    output capped and an out-of-memory failure as resource-exceeded."""
    if event["tag"] in caps:
        data = caps[event["tag"]].take(event["val"])
        return [{"tag": event["tag"], "val": data}] if data else []
    outcome = {"ok": True, "value": event["val"]} if event["tag"] == "finished" \
        else {"ok": False, "error": event["val"]}
    outcome = cap_outcome(memory_outcome(outcome, memory_cap), output_limit)
    return [{"tag": "finished", "val": outcome["value"]} if outcome["ok"] else {"tag": "failed", "val": outcome["error"]}]


def _give_back(lent: Path, home: Path) -> None:
    """Returns a session directory lent to a run (an empty one if the run managed to remove it)."""
    if lent.is_dir() and not lent.is_symlink():
        os.rename(lent, home)
    else:
        home.mkdir(exist_ok=True)

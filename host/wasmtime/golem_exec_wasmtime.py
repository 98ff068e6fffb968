"""A small wasmtime host for the golem:exec components (build/exec-javascript.wasm, build/exec-python.wasm).

It loads a component with wasmtime-py (PyPI `wasmtime`, pinned in scripts/setup-python.mjs), gives each sandbox its
own store, WASI context and preopened directory, and enforces the limits with wasmtime's own mechanisms:

* time:   epoch interruption. A daemon thread increments the engine's epoch every TICK_MS; each call into the
          component gets a deadline of its `time-ms` (or the default) plus a margin, so the guest's own deadline
          normally fires first and the epoch is the hard backstop for what the guest cannot interrupt (a long builtin).
          A call stopped by the epoch returns error.timeout, and the sandbox gets a fresh instance.
* memory: the store's limiter (`Store.set_limits(memory_size=…)`) caps linear memory at the call's `memory-bytes` (or
          EXEC_MEMORY_LIMIT_MB). `memory.grow` past it fails; the engines report out-of-memory (Python MemoryError,
          SpiderMonkey "out of memory") and the host turns that into error.resource-exceeded and a fresh instance.
* start-up: compiled components are cached on disk (Component.serialize / deserialize_file, keyed by the component's
          bytes, the wasmtime version and the engine configuration), so only the first load after a build compiles.

Sessions survive a fresh instance: the host remembers each session's directory and replays it into a new guest
session (files are copied, set-working-dir calls replayed). Without a preopened directory session files live in the
guest's memory and are lost when a limit forces a fresh instance.

Values follow the WIT (kebab-case field names): a call returns an Outcome dict, {"ok": True, "value": …} or
{"ok": False, "error": {"tag": …, "val": …}}; records become dicts, `list<u8>` becomes bytes, `option` none becomes
None, variants become {"tag", "val"}.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import wasmtime
from wasmtime import Config, Engine, Store, WasiConfig, WasmtimeError
from wasmtime import _ffi as ffi
from wasmtime.component import Component, Linker, Record, ResourceAny, Variant

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("javascript", "python")
INTERFACE = "golem:exec/executor@1.0.0"
GUEST_DIR = "/workspace"
#: Epoch tick. Deadlines are rounded up to whole ticks.
TICK_MS = 10
#: Largest 32-bit linear memory: "no memory limit".
NO_MEMORY_LIMIT = 1 << 32
#: Where each component is loaded from; EXEC_JS_QUICKJS_PATH / EXEC_PYTHON_WASI_PATH override (names from the ticket).
COMPONENT_ENV = {"javascript": "EXEC_JS_QUICKJS_PATH", "python": "EXEC_PYTHON_WASI_PATH"}
DEFAULT_CACHE_DIR = ROOT / "build" / "wasmtime-cache"

Outcome = dict
OutputSink = Callable[[bytes], None]


def default_timeout_ms() -> int:
    return int(os.environ.get("EXEC_TIMEOUT_MS", "5000"))


def default_memory_limit() -> Optional[int]:
    mb = os.environ.get("EXEC_MEMORY_LIMIT_MB")
    return int(mb) * 1024 * 1024 if mb else None


def component_path(language: str) -> Path:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)}")
    override = os.environ.get(COMPONENT_ENV[language])
    return Path(override) if override else ROOT / "build" / f"exec-{language}.wasm"


# ---------------------------------------------------------------------------------------------------------------------
# Engine, compile cache, epoch ticker


class Runtime:
    """One wasmtime Engine + Linker shared by every sandbox, with the compiled components and the epoch ticker."""

    _shared: Optional["Runtime"] = None

    def __init__(self, *, cache_dir: Optional[Path] = DEFAULT_CACHE_DIR, pooling: bool = False):
        config = Config()
        config.epoch_interruption = True
        if pooling:
            _enable_pooling(config)
        self.pooling = pooling
        self.engine = Engine(config)
        self.linker = Linker(self.engine)
        # WASI 0.2 (cli, clocks, filesystem, io, random; sockets too, which componentize-py's libc imports). The
        # WasiConfig of each store grants no network: wasmtime's default socket policy allows no address.
        self.linker.add_wasip2()
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._components: dict[str, Component] = {}
        self.compile_seconds: dict[str, float] = {}
        self._lock = threading.Lock()
        ticker = threading.Thread(target=self._tick, name="wasmtime-epoch", daemon=True)
        ticker.start()

    @classmethod
    def shared(cls) -> "Runtime":
        if cls._shared is None:
            cls._shared = Runtime()
        return cls._shared

    def _tick(self) -> None:
        while True:
            time.sleep(TICK_MS / 1000)
            self.engine.increment_epoch()

    def component(self, language: str) -> Component:
        """The compiled component, from the on-disk cache when it holds this exact build."""
        with self._lock:
            if language not in self._components:
                started = time.perf_counter()
                self._components[language] = self.load(component_path(language))
                self.compile_seconds[language] = time.perf_counter() - started
            return self._components[language]

    def load(self, path: Path) -> Component:
        """Compiles the component at `path`, or loads it from the cache. Concurrent processes compiling the same
        component wait for the first one (a lock file) and then load its result."""
        if not path.exists():
            raise FileNotFoundError(f"component {path} does not exist: run `npm run build`")
        wasm = path.read_bytes()
        if not self.cache_dir:
            return Component(self.engine, wasm)
        key = hashlib.sha256(wasm + f"|wasmtime {package_version('wasmtime')}".encode()).hexdigest()
        cached = self.cache_dir / f"{path.stem}-{key[:24]}.cwasm"
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with open(self.cache_dir / f".{cached.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if cached.exists():
                try:
                    return Component.deserialize_file(self.engine, str(cached))
                except WasmtimeError:
                    pass  # written by an incompatible engine configuration: compile again
            component = Component(self.engine, wasm)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(component.serialize())
            os.replace(partial, cached)
            return component


def _enable_pooling(config: Config) -> None:
    """The pooling instance allocator (not wrapped by wasmtime-py 50, so through its C API bindings): instances reuse
    pre-reserved slots instead of mmapping fresh memories. Sized for a handful of concurrent sandboxes."""
    pool = ffi.wasmtime_pooling_allocation_config_new()
    ffi.wasmtime_pooling_allocation_config_total_component_instances_set(pool, 16)
    ffi.wasmtime_pooling_allocation_config_total_core_instances_set(pool, 256)
    ffi.wasmtime_pooling_allocation_config_total_memories_set(pool, 64)
    ffi.wasmtime_pooling_allocation_config_total_tables_set(pool, 128)
    ffi.wasmtime_pooling_allocation_config_max_memory_size_set(pool, 1 << 30)
    ffi.wasmtime_pooling_allocation_config_max_core_instance_size_set(pool, 1 << 20)
    ffi.wasmtime_pooling_allocation_config_max_component_instance_size_set(pool, 1 << 20)
    ffi.wasmtime_pooling_allocation_config_table_elements_set(pool, 100_000)
    ffi.wasmtime_pooling_allocation_config_max_memories_per_component_set(pool, 8)
    ffi.wasmtime_pooling_allocation_config_max_tables_per_component_set(pool, 16)
    ffi.wasmtime_pooling_allocation_config_max_core_instances_per_component_set(pool, 32)
    ffi.wasmtime_pooling_allocation_strategy_set(config.ptr(), pool)
    ffi.wasmtime_pooling_allocation_config_delete(pool)


# ---------------------------------------------------------------------------------------------------------------------
# list<u8> fast path

def _install_bytes_fast_path() -> None:
    """wasmtime-py 50 converts a `list<u8>` one element at a time in Python (~2 µs per byte: a 4 MiB stream of output
    took 8 s). Its C API represents the list as an array of tagged values (`wasmtime_component_val_t`); this writes
    and reads that array with one strided slice instead. Other lists keep wasmtime-py's own conversion."""
    import ctypes
    from wasmtime.component import _types

    val_t = ffi.wasmtime_component_val_t
    size = ctypes.sizeof(val_t)
    kind_offset, payload_offset = val_t.kind.offset, val_t.of.offset  # u8 sits at the start of the payload union
    u8_kind, list_kind = ffi.WASMTIME_COMPONENT_U8.value, ffi.WASMTIME_COMPONENT_LIST
    generic_to_c, generic_from_c = _types.ListType.convert_to_c, _types.ListType.convert_from_c

    def convert_to_c(self, store, val, ptr):  # type: ignore[no-untyped-def]
        if not isinstance(val, (bytes, bytearray)) or not self._is_bytes():
            return generic_to_c(self, store, val, ptr)
        raw = ffi.wasmtime_component_vallist_t()
        ffi.wasmtime_component_vallist_new_uninit(raw, len(val))
        if val:
            array = bytearray(len(val) * size)
            array[kind_offset::size] = bytes([u8_kind]) * len(val)
            array[payload_offset::size] = val
            ctypes.memmove(raw.data, bytes(array), len(array))
        ptr.contents.kind = list_kind
        ptr.contents.of.list = raw

    def convert_from_c(self, c):  # type: ignore[no-untyped-def]
        if not self._is_bytes():
            return generic_from_c(self, c)
        try:
            count = c.of.list.size
            return ctypes.string_at(c.of.list.data, count * size)[payload_offset::size] if count else b""
        finally:
            ffi.wasmtime_component_vallist_delete(ctypes.byref(c.of.list))

    _types.ListType.convert_to_c = convert_to_c
    _types.ListType.convert_from_c = convert_from_c


if package_version("wasmtime") == "50.0.1":  # the layout this was written against; other versions keep the slow path
    _install_bytes_fast_path()


# ---------------------------------------------------------------------------------------------------------------------
# WIT value conversion


def _record(**fields: Any) -> Record:
    record = Record()
    for name, value in fields.items():
        setattr(record, name.replace("_", "-"), value)
    return record


def wit_language(kind: str, version: Optional[str] = None) -> Record:
    return _record(kind=kind, version=version)


def wit_file(name: str, content: bytes, encoding: Optional[str] = None) -> Record:
    return _record(name=name, content=bytes(content), encoding=encoding)


def wit_limits(limits: Optional[dict]) -> Optional[Record]:
    """`limits` uses WIT names (time-ms, memory-bytes, file-size-bytes, max-processes); absent fields are none."""
    if limits is None:
        return None
    known = ("time-ms", "memory-bytes", "file-size-bytes", "max-processes")
    unknown = set(limits) - set(known)
    if unknown:
        raise ValueError(f"unknown limits field(s) {sorted(unknown)}: expected {', '.join(known)}")
    record = Record()
    for name in known:
        setattr(record, name, limits.get(name))
    return record


def to_python(value: Any) -> Any:
    """wasmtime-py values → plain data (records → dicts, variants → {"tag", "val"})."""
    if isinstance(value, Record):
        return {name: to_python(v) for name, v in vars(value).items()}
    if isinstance(value, Variant):
        return {"tag": value.tag, "val": to_python(value.payload)}
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, tuple):
        return tuple(to_python(v) for v in value)
    return value


def _outcome(value: Any) -> Outcome:
    # wasmtime-py lifts `result<T, error>` untagged: the error variant arrives as a Variant, any ok value as itself
    # (no `T` of this WIT is a variant).
    if isinstance(value, Variant):
        return {"ok": False, "error": to_python(value)}
    return {"ok": True, "value": to_python(value)}


def _err(tag: str, val: Any = None) -> Outcome:
    return {"ok": False, "error": {"tag": tag, "val": val}}


def _is_out_of_memory(outcome: Outcome) -> bool:
    """The engines' own out-of-memory reports: CPython's MemoryError ending the traceback, SpiderMonkey's OOM."""
    if outcome["ok"] or outcome["error"]["tag"] not in ("runtime-failed", "internal"):
        return False
    error = outcome["error"]
    if error["tag"] == "internal":  # the guest's own code hit the cap (e.g. while collecting the program's output)
        return bool(re.search(r"\b(MemoryError|out of memory)\b", str(error["val"])))
    lines = error["val"]["stderr"].rstrip().splitlines()
    last = lines[-1] if lines else ""
    return last == "MemoryError" or last.startswith("MemoryError:") or "out of memory" in last


# ---------------------------------------------------------------------------------------------------------------------
# Instances


class _Limited(Exception):
    """A call stopped by a host limit; the instance is dead or unreliable and gets replaced."""

    def __init__(self, tag: str, detail: str):
        super().__init__(detail)
        self.tag = tag


@dataclass
class _Instance:
    store: Store
    instance: Any
    generation: int
    funcs: dict = field(default_factory=dict)
    memory_cap: Optional[int] = None  # the largest cap it ran under (None: unbounded)
    used: bool = False

    def func(self, name: str):
        if name not in self.funcs:
            interface = self.instance.get_export_index(self.store, INTERFACE)
            index = self.instance.get_export_index(self.store, name, interface)
            if index is None:
                raise LookupError(f"the component exports no {INTERFACE}#{name}")
            self.funcs[name] = self.instance.get_func(self.store, index)
        return self.funcs[name]


class Sandbox:
    """One component instance (replaced transparently when a limit kills it) with its own directory, env and stdio.

    language: which component ("javascript" or "python").
    directory: host directory preopened at /workspace (default: a fresh temporary directory, removed by close());
        preopen=False grants no filesystem at all.
    env: the instance's WASI environment (the EXEC_* defaults the guest reads; never the program's env). Its
        EXEC_TIMEOUT_MS / EXEC_MEMORY_LIMIT_MB also set the host's defaults unless timeout_ms / memory_limit are given.
    stdout / stderr: receive what the component writes to its own stdio (streamed runs write chunks there live).
    timeout_ms / memory_limit: defaults for calls that give no time-ms / memory-bytes (EXEC_TIMEOUT_MS, default 5000;
        EXEC_MEMORY_LIMIT_MB, default none).
    """

    def __init__(self, language: str, *, runtime: Optional[Runtime] = None, directory: Optional[str] = None,
                 preopen: bool = True, env: Optional[dict[str, str]] = None, stdout: Optional[OutputSink] = None,
                 stderr: Optional[OutputSink] = None, timeout_ms: Optional[int] = None,
                 memory_limit: Optional[int] = None):
        self.language = language
        self.runtime = runtime or Runtime.shared()
        self.component = self.runtime.component(language)
        self._own_directory = preopen and directory is None
        self.directory = (directory or tempfile.mkdtemp(prefix=f"golem-exec-wasmtime-{language}-")) if preopen else None
        env = env or {}
        # The guest reads its defaults from its own environment; the host's backstops follow the same values.
        if timeout_ms is None:
            timeout_ms = int(env["EXEC_TIMEOUT_MS"]) if "EXEC_TIMEOUT_MS" in env else default_timeout_ms()
        if memory_limit is None and "EXEC_MEMORY_LIMIT_MB" in env:
            memory_limit = int(env["EXEC_MEMORY_LIMIT_MB"]) * 1024 * 1024
        self.timeout_ms = timeout_ms
        self.memory_limit = default_memory_limit() if memory_limit is None else memory_limit
        self.env = {**env, "EXEC_TIMEOUT_MS": str(self.timeout_ms)}
        if self.memory_limit is not None:
            self.env["EXEC_MEMORY_LIMIT_MB"] = str(self.memory_limit // (1024 * 1024))
        self.stdout = stdout or (lambda _b: None)
        self.stderr = stderr or (lambda _b: None)
        self._generation = 0
        self._current: Optional[_Instance] = None
        #: How many fresh instances a limit forced (for tests and reports).
        self.recreated = 0

    # -- instance lifecycle ------------------------------------------------------------------------------------------

    def _instance(self) -> _Instance:
        if self._current is None:
            self._current = self._instantiate()
        return self._current

    def _instantiate(self) -> _Instance:
        store = Store(self.runtime.engine)
        wasi = WasiConfig()
        if self.directory:
            wasi.preopen_dir(self.directory, GUEST_DIR)
        wasi.env = list(self.env.items())
        # Indirection: the sinks may be swapped after instantiation (a driver capturing one call's output).
        wasi.stdout_custom = lambda data: self.stdout(data)
        wasi.stderr_custom = lambda data: self.stderr(data)
        store.set_wasi(wasi)
        store.set_epoch_deadline(self._ticks(max(self.timeout_ms, 30_000)))
        instance = self.runtime.linker.instantiate(store, self.component)
        self._generation += 1
        return _Instance(store, instance, self._generation)

    def _discard(self, forced_by_limit: bool = True) -> None:
        """Drops the dead instance and the stateless-run directories it left behind (sessions are replayed later)."""
        self._current = None
        self.recreated += forced_by_limit
        if self.directory:
            for entry in Path(self.directory).glob("run-*"):
                shutil.rmtree(entry, ignore_errors=True)

    @staticmethod
    def _ticks(ms: int) -> int:
        return max(1, -(-ms // TICK_MS))

    def _deadline_ms(self, limits: Optional[dict]) -> Optional[int]:
        time_ms = (limits or {}).get("time-ms")
        time_ms = self.timeout_ms if time_ms is None else time_ms
        if not time_ms:
            return None  # 0: no time limit
        # The guest's deadline fires at time-ms; the backstop a little later: a quarter of the limit, at least 100 ms
        # but never more than 0.4x (so a timeout always answers within 1.4x the limit), at most 1 s.
        return time_ms + min(max(time_ms // 4, min(100, time_ms * 2 // 5)), 1000)

    def _memory_cap(self, limits: Optional[dict]) -> Optional[int]:
        cap = (limits or {}).get("memory-bytes")
        return self.memory_limit if cap is None else cap

    def call(self, name: str, *args: Any, limits: Optional[dict] = None, deadline_ms: Optional[int] = None) -> Any:
        """Calls an export of golem:exec/executor under the limits; raises _Limited when a host limit stopped it."""
        cap = self._memory_cap(limits)
        current = self._instance()
        if current.used and cap is not None and (current.memory_cap is None or current.memory_cap > cap):
            # Linear memory never shrinks: an instance that grew under a larger cap starts over under a smaller one.
            self._discard(forced_by_limit=False)
            current = self._instance()
        current.used = True
        if cap is not None:
            current.memory_cap = cap if current.memory_cap is None else max(current.memory_cap, cap)
        current.store.set_limits(memory_size=cap if cap is not None else NO_MEMORY_LIMIT)
        if deadline_ms is None:
            deadline_ms = self._deadline_ms(limits)
        current.store.set_epoch_deadline(self._ticks(deadline_ms) if deadline_ms else 1 << 62)
        try:
            return current.func(name)(current.store, *args)
        except WasmtimeError as error:
            message = str(error)
            self._discard()
            if "wasm trap: interrupt" in message:
                raise _Limited("timeout", "stopped by the epoch deadline") from error
            if cap is not None:
                raise _Limited("resource-exceeded", f"trapped under a {cap}-byte memory cap") from error
            raise _Limited("internal", f"the component trapped: {message.splitlines()[-1] if message else message}") \
                from error

    def _limited_outcome(self, outcome: Outcome, limits: Optional[dict]) -> Outcome:
        """Under a memory cap, an out-of-memory failure is resource-exceeded; either way the instance's heap sits at
        the cap, so the next call gets a fresh instance."""
        if self._memory_cap(limits) is None or outcome["ok"]:
            return outcome
        if outcome["error"]["tag"] == "resource-exceeded" or _is_out_of_memory(outcome):
            self._discard()
            return _err("resource-exceeded")
        return outcome

    # -- golem:exec/executor -----------------------------------------------------------------------------------------

    def run(self, files: list[tuple[str, bytes] | tuple[str, bytes, Optional[str]]], *, stdin: Optional[str] = None,
            args: list[str] = (), env: list[tuple[str, str]] = (), limits: Optional[dict] = None,
            language: Optional[str] = None, version: Optional[str] = None) -> Outcome:
        """executor.run: files are (name, content[, encoding]); the first is the entry point."""
        try:
            value = self.call("run", wit_language(language or self.language, version),
                              [wit_file(*f) for f in files], stdin, list(args), [tuple(e) for e in env],
                              wit_limits(limits), limits=limits)
        except _Limited as limited:
            return _err(limited.tag, str(limited) if limited.tag == "internal" else None)
        return self._limited_outcome(_outcome(value), limits)

    def run_streaming(self, files: list, *, stdin: Optional[bytes] = b"", args: list[str] = (),
                      env: list[tuple[str, str]] = (), limits: Optional[dict] = None, language: Optional[str] = None,
                      version: Optional[str] = None) -> "ExecStream":
        """executor.run-streaming; stdin None lets the program read the component's own (empty) stdin."""
        return ExecStream(self, "run-streaming", (wit_language(language or self.language, version),
                          [wit_file(*f) for f in files], stdin, list(args), [tuple(e) for e in env], wit_limits(limits)),
                          limits)

    def session(self, language: Optional[str] = None, version: Optional[str] = None) -> "Session":
        return Session(self, wit_language(language or self.language, version))

    def close(self) -> None:
        self._current = None
        if self._own_directory and self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()


class ExecStream:
    """An exec-stream: get_next / blocking_get_next as in the WIT (events as {"tag", "val"} dicts), or events()."""

    def __init__(self, sandbox: Sandbox, export: str, args: tuple, limits: Optional[dict], resource: Any = None):
        self.sandbox = sandbox
        self.limits = limits
        self._deadline_ms = sandbox._deadline_ms(limits)
        self._started = time.monotonic()
        self._pending: list = []  # a host-made final event (timeout, resource-exceeded)
        self._over = False
        try:
            self._handle = sandbox.call(export, *((resource,) if resource is not None else ()), *args, limits=limits)
            self._generation = sandbox._current.generation
        except _Limited as limited:
            self._handle = None
            self._pending = [{"tag": "failed", "val": {"tag": limited.tag, "val": None}}]

    def _next(self, method: str) -> Optional[list]:
        """The next batch; None once the stream is over."""
        if self._pending:
            events, self._pending, self._handle = self._pending, [], None
            return events
        current = self.sandbox._current
        if self._over or self._handle is None or current is None or current.generation != self._generation:
            self._over = True  # over, or its instance was replaced
            return None
        remaining = None
        if self._deadline_ms:
            remaining = max(1, self._deadline_ms - int((time.monotonic() - self._started) * 1000))
        try:
            batch = self.sandbox.call(f"[method]exec-stream.{method}", self._handle, limits=self.limits,
                                      deadline_ms=remaining)
        except _Limited as limited:
            self._over = True
            return [{"tag": "failed", "val": {"tag": limited.tag, "val": None}}]
        if batch is None:
            self._over = True
            return None
        events = to_python(batch)
        for index, event in enumerate(events):
            if event["tag"] == "finished" or event["tag"] == "failed":
                outcome = {"ok": True, "value": event["val"]} if event["tag"] == "finished" \
                    else {"ok": False, "error": event["val"]}
                limited = self.sandbox._limited_outcome(outcome, self.limits)
                if limited is not outcome:
                    events[index] = {"tag": "failed", "val": limited["error"]}
        return events

    def blocking_get_next(self) -> list:
        """At least one event, or [] once the stream is over."""
        return self._next("blocking-get-next") or []

    def get_next(self) -> Optional[list]:
        """The events available now (possibly []), or None once the stream is over."""
        return self._next("get-next")

    def events(self) -> Iterator[dict]:
        while batch := self.blocking_get_next():
            yield from batch

    def drop(self) -> None:
        """Drops the stream's handle (its guest object is released)."""
        current = self.sandbox._current
        if self._handle is not None and current is not None and current.generation == self._generation:
            self._handle.drop(current.store)
        self._handle = None


class Session:
    """A session resource that outlives instance replacement: after a limit kills the instance, the next call opens a
    new guest session, copies the old session directory into it and replays set-working-dir."""

    def __init__(self, sandbox: Sandbox, language: Record):
        self.sandbox = sandbox
        self.language = language
        self._handle: Optional[ResourceAny] = None
        self._generation = 0
        self._directory: Optional[Path] = None
        self._working_dirs: list[str] = []
        self.closed = False
        self._open()

    def _sessions_on_disk(self) -> set[Path]:
        return set(Path(self.sandbox.directory).glob("session-*")) if self.sandbox.directory else set()

    def _open(self) -> None:
        before = self._sessions_on_disk()
        self._handle = self.sandbox.call("[constructor]session", self.language)
        self._generation = self.sandbox._current.generation
        created = self._sessions_on_disk() - before
        previous, self._directory = self._directory, (created.pop() if len(created) == 1 else None)
        if previous and self._directory and previous.exists():
            shutil.copytree(previous, self._directory, symlinks=True, dirs_exist_ok=True)
            shutil.rmtree(previous, ignore_errors=True)
        for path in self._working_dirs:
            self.sandbox.call("[method]session.set-working-dir", self._handle, path)

    def _handle_now(self) -> Any:
        current = self.sandbox._current
        if current is None or current.generation != self._generation:
            self._open()  # the instance was replaced: a new guest session with the same files
        return self._handle

    def _call(self, method: str, *args: Any, limits: Optional[dict] = None) -> Outcome:
        try:
            return _outcome(self.sandbox.call(f"[method]session.{method}", self._handle_now(), *args, limits=limits))
        except _Limited as limited:
            return _err(limited.tag, str(limited) if limited.tag == "internal" else None)

    def upload(self, name: str, content: bytes, encoding: Optional[str] = None) -> Outcome:
        return self._call("upload", wit_file(name, content, encoding))

    def run(self, entrypoint: str, *, args: list[str] = (), stdin: Optional[str] = None,
            env: list[tuple[str, str]] = (), limits: Optional[dict] = None) -> Outcome:
        outcome = self._call("run", entrypoint, list(args), stdin, [tuple(e) for e in env], wit_limits(limits),
                             limits=limits)
        return self.sandbox._limited_outcome(outcome, limits)

    def run_streaming(self, entrypoint: str, *, args: list[str] = (), stdin: Optional[bytes] = b"",
                      env: list[tuple[str, str]] = (), limits: Optional[dict] = None) -> ExecStream:
        return ExecStream(self.sandbox, "[method]session.run-streaming",
                          (entrypoint, list(args), stdin, [tuple(e) for e in env], wit_limits(limits)), limits,
                          resource=self._handle_now())

    def download(self, path: str) -> Outcome:
        return self._call("download", path)

    def list_files(self, directory: str) -> Outcome:
        return self._call("list-files", directory)

    def set_working_dir(self, path: str) -> Outcome:
        outcome = self._call("set-working-dir", path)
        if outcome["ok"]:
            self._working_dirs.append(path)
        return outcome

    def close(self) -> None:
        self._call("close")
        self.closed = True

    def drop(self) -> None:
        """Drops the handle without close (the guest's destructor runs)."""
        current = self.sandbox._current
        if current is not None and current.generation == self._generation and self._handle is not None:
            self._handle.drop(current.store)
        self._handle = None

"""The engine every sandbox shares: its configuration, the compiled components (cached on disk) and the epoch ticker.

Compiling a component takes 15-40 s on 2 cores, instantiating one from the compiled code ~0.5-2 ms: so the components
are compiled once per process (and once per build on disk), and every run gets its own instance from them.
"""
from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import queue
import threading
import time
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from wasmtime import Config, Engine, WasmtimeError
from wasmtime import _ffi as ffi
from wasmtime.component import Component, ExportIndex, Linker

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ("javascript", "python")
INTERFACE = "golem:exec/executor@1.0.0"
#: The REPL interface's eval (an export beside the executor; see wit/exec.wit).
REPL_EVAL = "golem:exec/repl@1.0.0#eval"
FILES_REMOVE = "golem:exec/files@1.0.0#remove"
#: Epoch tick: the granularity of every deadline.
TICK_MS = 10
#: Where each component is loaded from; EXEC_JS_QUICKJS_PATH / EXEC_PYTHON_WASI_PATH override (names from the ticket).
COMPONENT_ENV = {"javascript": "EXEC_JS_QUICKJS_PATH", "python": "EXEC_PYTHON_WASI_PATH"}
DEFAULT_CACHE_DIR = ROOT / "build" / "wasmtime-cache"
#: Pooling allocator: live component instances at most, bytes of each idle memory slot kept resident, idle slots kept.
POOL_COMPONENT_INSTANCES = 64
POOL_KEEP_RESIDENT = 64 << 20
POOL_WARM_SLOTS = 16
#: Tells the reaper thread to stop.
_STOP = object()
#: Native stack a call's wasm may use (wasmtime's default: 512 KiB). CPython protects itself against deep C recursion
#: by measuring only its own (shadow) stack in linear memory, ~1 MB; a wasm frame takes far more native stack than that,
#: and reaching CPython's limit took 32-64 MiB of it in the deepest cases measured (recursion through `__init__`, `repr`
#: of nested lists): below that the call trapped with "call stack exhausted" before CPython raised RecursionError.
MAX_WASM_STACK = 128 << 20
#: The stack of a thread that calls into wasm (on_wasm_stack): the wasm's, plus room for the host frames under it.
CALL_THREAD_STACK = MAX_WASM_STACK + (16 << 20)
_T = TypeVar("_T")
_stack_size_lock = threading.Lock()


def on_wasm_stack(call: Callable[[], _T]) -> _T:
    """Runs `call` (a call into wasm) on a thread of its own with CALL_THREAD_STACK bytes of stack, and returns what it
    returned or raises what it raised. wasmtime runs wasm on the calling thread's stack and trusts max_wasm_stack to
    fit there; the caller's thread may have 8 MiB or less (ulimit -s), and wasm that ran past its real end would crash
    the process instead of trapping."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as failure:  # noqa: BLE001 - raised again in the caller's thread
            outcome["error"] = failure

    with _stack_size_lock:  # threading.stack_size is process-wide: set for this thread's start only
        previous = threading.stack_size(CALL_THREAD_STACK)
        try:
            thread = threading.Thread(target=target, name="wasm-call", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def component_path(language: str) -> Path:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)}")
    override = os.environ.get(COMPONENT_ENV[language])
    return Path(override) if override else ROOT / "build" / f"exec-{language}.wasm"


class Runtime:
    """One wasmtime Engine + Linker shared by every sandbox, with the compiled components and the epoch ticker.

    pooling: the pooling instance allocator (default): instances take pre-reserved slots whose memory stays resident
    between instances, which makes a pristine Python instance per run ~25% cheaper (fewer page faults; JavaScript
    touches little of its memory and gains nothing). It allows POOL_COMPONENT_INSTANCES live instances per runtime
    (two per sandbox at most); pooling=False maps each instance's memories afresh, without that bound. Both start every
    instance from the same pristine image; scripts/bench/wasmtime-bench.py measures the two.
    """

    _shared: Optional["Runtime"] = None

    def __init__(self, *, cache_dir: Optional[Path] = DEFAULT_CACHE_DIR, pooling: bool = True):
        config = Config()
        config.epoch_interruption = True
        # wasmtime refuses a max_wasm_stack above the stack of async calls (which this host makes none of).
        ffi.wasmtime_config_async_stack_size_set(config.ptr(), MAX_WASM_STACK + (1 << 20))
        config.max_wasm_stack = MAX_WASM_STACK
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
        self._exports: dict[tuple[str, str], ExportIndex] = {}
        self.compile_seconds: dict[str, float] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._tick, name="wasmtime-epoch", daemon=True).start()
        self._reaped: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        self._reaper = threading.Thread(target=self._reap, name="wasmtime-reaper", daemon=True)
        self._reaper.start()
        atexit.register(self._stop_reaper)

    @classmethod
    def shared(cls) -> "Runtime":
        if cls._shared is None:
            cls._shared = Runtime()
        return cls._shared

    def _tick(self) -> None:
        """Advances the engine's epoch every TICK_MS: a store's deadline is a number of ticks from its call's start.
        Ticks follow the wall clock (a late wake-up on a busy machine catches up), so a deadline is not pushed back by
        how often this thread got to run."""
        next_tick = time.monotonic()
        while True:
            next_tick += TICK_MS / 1000
            delay = next_tick - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.engine.increment_epoch()

    def discard(self, instance: Any) -> None:
        """Frees a finished instance on the reaper thread: freeing a store (unmapping, or with the pooling allocator
        resetting its memories for the next instance) takes 3-9 ms that the caller of the run need not wait for. The
        instance is unreachable from then on; only its memory is still being returned."""
        if self._reaper.is_alive():
            self._reaped.put(instance)

    def _reap(self) -> None:
        """The reaper thread: drops what discard() hands it (wasmtime-py frees a store when its last reference goes,
        and a ctypes call releases the GIL meanwhile)."""
        while True:
            instance = self._reaped.get()
            if instance is _STOP:
                return
            del instance

    def _stop_reaper(self) -> None:
        """At exit: the stores still queued are freed before the interpreter goes (their finalizers call into it)."""
        self._reaped.put(_STOP)
        self._reaper.join(timeout=10)

    def component(self, language: str) -> Component:
        """The compiled component, from the on-disk cache when it holds this exact build."""
        with self._lock:
            if language not in self._components:
                started = time.perf_counter()
                self._components[language] = self.load(component_path(language))
                self.compile_seconds[language] = time.perf_counter() - started
            return self._components[language]

    def export(self, language: str, name: str) -> ExportIndex:
        """The index of `golem:exec/executor#name` (or of `interface#name`) in the component, looked up once (not once
        per instance)."""
        key = (language, name)
        if key not in self._exports:
            component = self.component(language)
            interface_name, _, function = name.rpartition("#") if "#" in name else (INTERFACE, "#", name)
            interface = component.get_export_index(interface_name)
            index = component.get_export_index(function, interface) if interface is not None else None
            if index is None:
                raise LookupError(f"the {language} component exports no {interface_name}#{function}")
            self._exports[key] = index
        return self._exports[key]

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
    """The pooling instance allocator (not wrapped by wasmtime-py 50, so through its C API bindings): an instance takes
    a pre-reserved slot and its memories start from the module's copy-on-write image, as on-demand ones do. What makes
    it pay for a pristine instance per run is keeping the slot's memory resident between instances (reset by memset,
    not unmapped): the next instance's first touches of its heap are no page faults (3760 of them per Python run).
    Sized for POOL_COMPONENT_INSTANCES live instances (a sandbox has at most two: its sessions' and a run's), each
    memory up to 4 GiB as without the pool; idle slots keep at most POOL_KEEP_RESIDENT bytes resident each."""
    pool = ffi.wasmtime_pooling_allocation_config_new()
    ffi.wasmtime_pooling_allocation_config_total_component_instances_set(pool, POOL_COMPONENT_INSTANCES)
    ffi.wasmtime_pooling_allocation_config_total_core_instances_set(pool, POOL_COMPONENT_INSTANCES * 16)
    ffi.wasmtime_pooling_allocation_config_total_memories_set(pool, POOL_COMPONENT_INSTANCES * 2)
    ffi.wasmtime_pooling_allocation_config_total_tables_set(pool, POOL_COMPONENT_INSTANCES * 4)
    ffi.wasmtime_pooling_allocation_config_max_memory_size_set(pool, 1 << 32)
    ffi.wasmtime_pooling_allocation_config_max_core_instance_size_set(pool, 1 << 20)
    ffi.wasmtime_pooling_allocation_config_max_component_instance_size_set(pool, 1 << 20)
    ffi.wasmtime_pooling_allocation_config_table_elements_set(pool, 100_000)
    ffi.wasmtime_pooling_allocation_config_max_memories_per_component_set(pool, 8)
    ffi.wasmtime_pooling_allocation_config_max_tables_per_component_set(pool, 16)
    ffi.wasmtime_pooling_allocation_config_max_core_instances_per_component_set(pool, 32)
    ffi.wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(pool, POOL_KEEP_RESIDENT)
    ffi.wasmtime_pooling_allocation_config_table_keep_resident_set(pool, 1 << 20)
    ffi.wasmtime_pooling_allocation_config_max_unused_warm_slots_set(pool, POOL_WARM_SLOTS)
    ffi.wasmtime_pooling_allocation_strategy_set(config.ptr(), pool)
    ffi.wasmtime_pooling_allocation_config_delete(pool)

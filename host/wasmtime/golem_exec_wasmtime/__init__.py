"""A small wasmtime host for the golem:exec components (build/exec-javascript.wasm, build/exec-python.wasm).

It loads a component with wasmtime-py (PyPI `wasmtime`, pinned in scripts/setup-wasmtime.mjs) and runs every program
in a pristine instance of it (a new Store and instance from the compiled component, with its own WASI context and a
workspace directory holding only what the run may see), so nothing one run did can reach a later one; sessions keep
their files and working directory, nothing else. Limits are the host's own (see limits.py): time by epoch
interruption at the limit, memory by the store's limiter, output cut where it leaves the guest.

    runtime   the shared engine, compiled-component cache, epoch ticker (and the pooling allocator, opt-in)
    values    WIT values <-> plain data (Outcome dicts), the list<u8> fast path
    limits    defaults, deadlines, memory and output caps, trap classification
    instance  one instance per run, its workspace, lending a session's directory to a run
    sandbox   Sandbox: stateless runs and the sessions' bookkeeping instance
    session   Session: files and working directory across runs
    stream    ExecStream: a finished streamed run's events

Values follow the WIT (kebab-case field names): a call returns an Outcome dict, {"ok": True, "value": …} or
{"ok": False, "error": {"tag": …, "val": …}}; records become dicts, `list<u8>` becomes bytes, `option` none becomes
None, variants become {"tag", "val"}.
"""
from importlib.metadata import version as package_version

from wasmtime.component import Component

from .instance import GUEST_DIR, Instance
from .limits import DEFAULT_OUTPUT_LIMIT, Defaults, StreamCap, cap_text, epoch_ticks, marker
from .runtime import DEFAULT_CACHE_DIR, INTERFACE, LANGUAGES, ROOT, TICK_MS, Runtime, component_path
from .sandbox import HOST_FLAGS, Sandbox
from .session import Session
from .stream import ExecStream
from .values import Outcome, outcome_of, to_python, wit_file, wit_language, wit_limits

__all__ = [
    "Component", "DEFAULT_CACHE_DIR", "DEFAULT_OUTPUT_LIMIT", "Defaults", "ExecStream", "GUEST_DIR", "HOST_FLAGS",
    "INTERFACE", "Instance", "LANGUAGES", "Outcome", "ROOT", "Runtime", "Sandbox", "Session", "StreamCap", "TICK_MS",
    "cap_text", "component_path", "epoch_ticks", "marker", "outcome_of", "package_version", "to_python", "wit_file",
    "wit_language", "wit_limits",
]

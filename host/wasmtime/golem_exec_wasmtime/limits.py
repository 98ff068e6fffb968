"""The limits as this host enforces them, where the time and the bytes leave the guest (README "Limits"):

* time:   the store's epoch deadline stops the call at `time-ms` (within one TICK_MS after it). The guest is told
          `time-ms: 0` (no deadline checks of its own, which cost 1.3-3x CPU) and EXEC_HOST_TIMEOUT=1.
* memory: the store's limiter caps linear memory at `memory-bytes`; past it `memory.grow` fails and the engines'
          out-of-memory failure is reported as error.resource-exceeded.
* output: each stream of a run is cut at EXEC_OUTPUT_LIMIT_BYTES (1 MiB) with one marker line, whatever the guest did
          with its own cap: in the exec-result (and the stage results of errors), in the streamed chunks and in what
          the component writes to its own stdio.
* file size / disk: the guest's own checks only. wasmtime-py's WASI filesystem cannot be hooked per write, so a
          program that gets around the guest's checks is bounded by the host's disk, not by this host.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from wasmtime import WasmtimeError
from wasmtime.component import Record

from .runtime import TICK_MS
from .values import LIMIT_FIELDS, Outcome, check_limits, error, record

DEFAULT_TIMEOUT_MS = 5000
DEFAULT_OUTPUT_LIMIT = 1 << 20
#: Largest 32-bit linear memory: "no memory limit".
NO_MEMORY_LIMIT = 1 << 32
#: The epoch deadline of a call that has no time limit.
NO_DEADLINE_TICKS = 1 << 62
#: A guest that cut its own output decoded a split character as U+FFFD (3 bytes for the 1-3 it replaced).
GUEST_CUT_SLACK = 3


@dataclass(frozen=True)
class Defaults:
    """A sandbox's limits for calls that give none: its own arguments, else its instance environment (the EXEC_*
    variables the guest reads too), else the host process's environment, else the built-in defaults."""

    timeout_ms: int
    memory_bytes: Optional[int]
    output_bytes: int

    @classmethod
    def resolve(cls, env: Mapping[str, str], *, timeout_ms: Optional[int] = None,
                memory_limit: Optional[int] = None, output_limit: Optional[int] = None) -> "Defaults":
        def setting(name: str) -> Optional[str]:
            return env.get(name, os.environ.get(name))

        if timeout_ms is None:
            timeout_ms = int(setting("EXEC_TIMEOUT_MS") or DEFAULT_TIMEOUT_MS)
        if memory_limit is None and setting("EXEC_MEMORY_LIMIT_MB"):
            memory_limit = int(setting("EXEC_MEMORY_LIMIT_MB")) * 1024 * 1024
        if output_limit is None:
            output_limit = int(setting("EXEC_OUTPUT_LIMIT_BYTES") or DEFAULT_OUTPUT_LIMIT)
        return cls(timeout_ms, memory_limit, output_limit)

    def time_ms(self, limits: Optional[dict]) -> Optional[int]:
        """The call's time limit; None when it has none (`time-ms` 0)."""
        time_ms = (limits or {}).get("time-ms")
        time_ms = self.timeout_ms if time_ms is None else time_ms
        return time_ms or None

    def memory_cap(self, limits: Optional[dict]) -> Optional[int]:
        cap = (limits or {}).get("memory-bytes")
        return self.memory_bytes if cap is None else cap


def epoch_ticks(deadline_ms: Optional[int]) -> int:
    """The store deadline that stops a call at `deadline_ms`, never before: the first tick may come at once, so one
    tick more than the limit's length (the call ends between the limit and one tick after it)."""
    if not deadline_ms:
        return NO_DEADLINE_TICKS
    return -(-deadline_ms // TICK_MS) + 1


def guest_limits(limits: Optional[dict]) -> Record:
    """The WIT limits passed to the guest: the caller's, with `time-ms` 0 (the host keeps time; the guest's checks
    would only slow the program down)."""
    fields = {name: (check_limits(limits) or {}).get(name) for name in LIMIT_FIELDS}
    fields["time-ms"] = 0
    return record(**{name.replace("-", "_"): value for name, value in fields.items()})


# -- output ------------------------------------------------------------------------------------------------------------

def marker(kind: str, limit: int) -> str:
    """The line both guests and this host append once to a cut stream."""
    return f"\n[golem-exec: {kind} truncated after {limit} bytes]\n"


def cap_text(text: str, kind: str, limit: int) -> str:
    """`text` cut after `limit` UTF-8 bytes (at a character boundary) with the marker, unless it is within the limit
    or the guest already cut it (it ends with the marker and what precedes it is within the limit)."""
    if len(text) <= limit // 4:
        return text  # cheap: 4 bytes per character at most
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= limit:
        return text
    mark = marker(kind, limit)
    if text.endswith(mark) and len(encoded) - len(mark) <= limit + GUEST_CUT_SLACK:
        return text
    return encoded[:limit].decode("utf-8", "ignore") + mark


def _cap_stage(stage: Any, limit: int) -> Any:
    if not isinstance(stage, dict) or "stdout" not in stage:
        return stage
    return {**stage, "stdout": cap_text(stage["stdout"], "stdout", limit),
            "stderr": cap_text(stage["stderr"], "stderr", limit)}


def cap_outcome(outcome: Outcome, limit: int) -> Outcome:
    """An exec outcome with every stage's output capped: the run and compile stages of a result, the stage result of
    compilation-failed / runtime-failed."""
    if outcome["ok"]:
        value = outcome["value"]
        if not isinstance(value, dict) or "run" not in value:
            return outcome
        return {"ok": True, "value": {**value, "run": _cap_stage(value["run"], limit),
                                      "compile": _cap_stage(value.get("compile"), limit)}}
    failure = outcome["error"]
    return {"ok": False, "error": {**failure, "val": _cap_stage(failure["val"], limit)}}


class StreamCap:
    """One output stream of one run, as bytes arrive: at most `limit` bytes pass (cut at a character boundary), then
    the marker once, then nothing."""

    def __init__(self, kind: str, limit: int):
        self.kind = kind
        self.limit = limit
        self.passed = 0
        self.cut = False

    def take(self, data: bytes) -> bytes:
        """The part of `data` that may pass (with the marker if this is where the stream is cut)."""
        if self.cut or not data:
            return b""
        room = self.limit - self.passed
        if len(data) <= room:
            self.passed += len(data)
            return bytes(data)
        end = room
        while end > 0 and data[end] & 0xC0 == 0x80:  # inside a multi-byte character: cut before it
            end -= 1
        self.passed, self.cut = self.limit, True
        return bytes(data[:end]) + marker(self.kind, self.limit).encode()


# -- failures ----------------------------------------------------------------------------------------------------------

def trap_outcome(failure: WasmtimeError, memory_cap: Optional[int]) -> Outcome:
    """What a call that trapped (or that the host stopped) returns: the epoch deadline is a timeout; data too large to
    copy out of the guest, a native stack overflow, or any trap under a memory cap (the engines abort when an
    allocation fails), is resource-exceeded; anything else is the component's own failure."""
    message = str(failure)
    if "wasm trap: interrupt" in message:
        return error("timeout")
    # The native stack (max_wasm_stack) ran out before the guest's own check: a recursion CPython does not count, such
    # as freeing a nested structure millions deep.
    if "too much data is being copied" in message or "call stack exhausted" in message or memory_cap is not None:
        return error("resource-exceeded")
    return error("internal", f"the component trapped: {message.splitlines()[-1] if message else message}")


def is_out_of_memory(outcome: Outcome) -> bool:
    """The engines' own out-of-memory reports: CPython's MemoryError ending the traceback, SpiderMonkey's OOM."""
    if outcome["ok"] or outcome["error"]["tag"] not in ("runtime-failed", "internal"):
        return False
    failure = outcome["error"]
    if failure["tag"] == "internal":  # the guest's own code hit the cap (e.g. while collecting the program's output)
        return bool(re.search(r"\b(MemoryError|out of memory)\b", str(failure["val"])))
    lines = failure["val"]["stderr"].rstrip().splitlines()
    last = lines[-1] if lines else ""
    return last == "MemoryError" or last.startswith("MemoryError:") or "out of memory" in last


def memory_outcome(outcome: Outcome, memory_cap: Optional[int]) -> Outcome:
    """Under a memory cap, an out-of-memory failure (or the guest's own resource-exceeded) is resource-exceeded."""
    if memory_cap is None or outcome["ok"]:
        return outcome
    if outcome["error"]["tag"] == "resource-exceeded" or is_out_of_memory(outcome):
        return error("resource-exceeded")
    return outcome

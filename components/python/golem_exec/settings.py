"""The component's own settings (EXEC_* variables of its environment, read once at run time) and per-call limits."""
import os
import sys
import time

from . import output

# Wall-clock limit of a run when the call gives none (EXEC_TIMEOUT_MS overrides; 0 disables).
DEFAULT_TIMEOUT_MS = 5000
# How many monitored events (function starts, jumps) pass between two clock reads of the deadline.
CHECK_EVERY = 1024

_settings = None


def load():
    """Reads EXEC_* from the component's environment on first use, then empties os.environ (runs get only theirs)."""
    global _settings
    if _settings is None:
        env = dict(os.environ)
        os.environ.clear()

        def number(name, default):
            try:
                return int(env[name]) if name in env else default
            except ValueError:
                return default

        _settings = {
            "timeout_ms": number("EXEC_TIMEOUT_MS", DEFAULT_TIMEOUT_MS),
            "memory_limit_mb": number("EXEC_MEMORY_LIMIT_MB", None),
            "output_limit": number("EXEC_OUTPUT_LIMIT_BYTES", output.DEFAULT_OUTPUT_LIMIT),
        }
    return _settings


def output_limit():
    return load()["output_limit"]


class Expired(BaseException):
    """Raised into user code when its deadline passed; a BaseException so `except Exception` does not swallow it."""


class Deadline:
    """A cooperative wall-clock deadline enforced with sys.monitoring (PEP 669).

    It interrupts Python-level loops and calls, not a single long C call such as `sum(range(10**10))`: only the host
    can stop those (see README).
    """

    Expired = Expired
    _TOOL = 4  # a sys.monitoring tool id no debugger or profiler uses by default

    def __init__(self, ms):
        self.ms = ms

    def __enter__(self):
        if not self.ms:
            return self
        mon = sys.monitoring
        end = time.monotonic() + self.ms / 1000
        count = [0]

        def check(*_args):
            count[0] += 1
            if count[0] >= CHECK_EVERY:
                count[0] = 0
                if time.monotonic() > end:
                    raise Expired()

        try:
            mon.use_tool_id(self._TOOL, "golem-exec deadline")
        except ValueError:
            mon.free_tool_id(self._TOOL)
            mon.use_tool_id(self._TOOL, "golem-exec deadline")
        events = mon.events.PY_START | mon.events.JUMP
        mon.register_callback(self._TOOL, mon.events.PY_START, check)
        mon.register_callback(self._TOOL, mon.events.JUMP, check)
        mon.set_events(self._TOOL, events)
        self._active = True
        return self

    def __exit__(self, *exc):
        if getattr(self, "_active", False):
            mon = sys.monitoring
            mon.set_events(self._TOOL, 0)
            mon.register_callback(self._TOOL, mon.events.PY_START, None)
            mon.register_callback(self._TOOL, mon.events.JUMP, None)
            mon.free_tool_id(self._TOOL)
            self._active = False
        return False


def deadline(limits):
    """The deadline of one run: the call's `time-ms`, else EXEC_TIMEOUT_MS, else DEFAULT_TIMEOUT_MS."""
    ms = limits.time_ms if limits is not None and limits.time_ms is not None else load()["timeout_ms"]
    return Deadline(ms)

"""The limits the guest enforces on one run by itself (all a host that enforces nothing, e.g. a Golem worker, gets):

- time: a cooperative deadline through sys.monitoring (PEP 669), checked at function starts and jumps;
- memory: an estimate of the heap's top, probed on the same hook about every 10 ms and at the end of the run;
- file size: files the program opens for writing (open(), io.open, pathlib, shutil, os.write/pwrite) refuse to grow past
  the limit with OSError(EFBIG), writing nothing of the refused write.

What they cannot stop is one long C call (`sum(range(10**13))`, a huge sort, a catastrophic regex) or one huge
allocation between two probes: the host's hard limits (epochs or a killed worker, a linear-memory cap) do.
"""
import builtins
import errno
import io
import os
import sys
import time

import _io

# How many monitored events (function starts, jumps) pass between two clock reads.
CHECK_EVERY = 1024
# Seconds between two memory probes (each costs two fresh allocations).
PROBE_INTERVAL = 0.01
_TOOL = 4  # a sys.monitoring tool id no debugger or profiler uses by default
# The guest's own code (the runner around the program, the output sinks) is never interrupted: a limit raised there
# would escape the guest instead of ending the program.
_GUEST_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


class LimitExceeded(BaseException):
    """Raised into user code once a limit is passed. A BaseException, so `except Exception` does not swallow it, and
    raised again at every later check, so neither does `except BaseException:` in a loop."""

    outcome = None


class Expired(LimitExceeded):
    outcome = "timeout"


class MemoryExceeded(LimitExceeded):
    outcome = "memory"


def heap_top():
    """Estimated top of the heap in use: where fresh 64 KiB and 1 MiB blocks land, rounded to a 64 KiB wasm page.

    CPython on WASI offers no query of linear memory (no resource module, sbrk or mallinfo; tracemalloc costs 2-3x
    on allocation-heavy code). A growing collection pushes the allocator's top up and the probes land above it; freed
    holes below the top can catch the probes, so this is a lower bound (one big buffer can hide below a probe).
    """
    top = 0
    for size in (1 << 16, 1 << 20):
        probe = bytes(size)
        top = max(top, id(probe) + size)
    return (top + 0xFFFF) & ~0xFFFF


class Monitor:
    """Watches one run: deadline (`time_ms`, None or 0 for none) and memory (`memory_limit` bytes, None for none).

    `measure_peak` False (a host that caps and measures memory itself, watching no limit here): no heap probes at all,
    `peak` stays None. Each probe allocates and zeroes 1.06 MiB; four a run were ~10% of a warm hello-world."""

    def __init__(self, time_ms, memory_limit, measure_peak=True):
        self.time_ms = time_ms or None
        self.memory_limit = memory_limit
        self.tripped = None  # the LimitExceeded subclass once a limit was passed
        self._measure = measure_peak or memory_limit is not None
        self.peak = 0 if self._measure else None
        self._active = False
        self._end = None

    def __enter__(self):
        """Starts watching; entered again (for the exit handlers), it keeps the first deadline and the peak."""
        if self._measure:
            self.peak = max(self.peak, heap_top())
        if self.time_ms is None and self.memory_limit is None:
            return self
        mon = sys.monitoring
        DISABLE = mon.DISABLE
        if self._end is None:
            self._end = time.monotonic() + self.time_ms / 1000 if self.time_ms else float("inf")
        end = self._end
        limit = self.memory_limit
        next_probe = 0.0
        count = CHECK_EVERY

        def slow(code):
            nonlocal count, next_probe
            if code.co_filename.startswith(_GUEST_DIR):
                count = 1  # look again at the next event, which may be the program's
                return
            count = CHECK_EVERY
            if self.tripped is not None:
                count = 0  # every later event of the program raises again
                raise self.tripped()
            now = time.monotonic()
            if now > end:
                self.tripped, count = Expired, 0
                raise Expired()
            if now >= next_probe:
                next_probe = now + PROBE_INTERVAL
                top = heap_top()
                if top > self.peak:
                    self.peak = top
                if limit is not None and top > limit:
                    self.tripped, count = MemoryExceeded, 0
                    raise MemoryExceeded()

        # One callback per event with its exact signature (no *args tuple): they run on every event.
        def on_start(code, _offset):
            nonlocal count
            count -= 1
            if count <= 0:
                slow(code)

        def on_jump(code, offset, destination):
            nonlocal count
            # Only a backward jump can repeat code (loops); calls are PY_START. A forward jump's location is switched
            # off for good (the event then costs nothing there): branchy loop bodies pay one callback per iteration.
            if destination > offset:
                return DISABLE
            count -= 1
            if count <= 0:
                slow(code)

        try:
            mon.use_tool_id(_TOOL, "golem-exec limits")
        except ValueError:
            mon.free_tool_id(_TOOL)
            mon.use_tool_id(_TOOL, "golem-exec limits")
        mon.register_callback(_TOOL, mon.events.PY_START, on_start)
        mon.register_callback(_TOOL, mon.events.JUMP, on_jump)
        mon.set_events(_TOOL, mon.events.PY_START | mon.events.JUMP)
        self._active = True
        return self

    def __exit__(self, *exc):
        if self._active:
            mon = sys.monitoring
            mon.set_events(_TOOL, 0)
            mon.register_callback(_TOOL, mon.events.PY_START, None)
            mon.register_callback(_TOOL, mon.events.JUMP, None)
            mon.free_tool_id(_TOOL)
            self._active = False
        if self._measure:
            self.peak = max(self.peak, heap_top())
        # A run whose last allocation took it past the limit may have had no event after it to probe on.
        if self.tripped is None and self.memory_limit is not None and self.peak > self.memory_limit:
            self.tripped = MemoryExceeded
        return False


def monitor(limits, default_timeout_ms, default_memory_mb):
    """The monitor of one run: the call's limits, else the EXEC_* defaults (time-ms 0 means no deadline)."""
    time_ms = limits.time_ms if limits is not None and limits.time_ms is not None else default_timeout_ms
    if limits is not None and limits.memory_bytes is not None:
        memory = limits.memory_bytes
    else:
        memory = default_memory_mb * 1024 * 1024 if default_memory_mb else None
    return Monitor(time_ms, memory)


# --- file size ---------------------------------------------------------------------------------------------------

_file_limit = None  # bytes, while a run with limits.file-size-bytes is active


def set_file_limit(limit):
    global _file_limit
    _file_limit = limit


def _too_large(name):
    return OSError(errno.EFBIG, os.strerror(errno.EFBIG), name)


class _LimitedFileIO(io.FileIO):
    """A FileIO whose writes fail with EFBIG (writing nothing) when they would take the file past the limit."""

    def write(self, b):
        limit = _file_limit
        if limit is not None:
            n = memoryview(b).nbytes
            start = os.fstat(self.fileno()).st_size if "a" in self.mode else self.tell()
            if start + n > limit:
                raise _too_large(self.name)
        return super().write(b)

    def truncate(self, size=None):
        if _file_limit is not None and size is not None and size > _file_limit:
            raise _too_large(self.name)
        return super().truncate(size)


_real_open = _io.open


def _open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
    """io.open with a size-limited raw file when a limit is active and the mode writes (the layering is io.open's)."""
    if _file_limit is None or not isinstance(mode, str) or not set(mode) & set("wax+"):
        return _real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)
    binary = "b" in mode
    if binary and (encoding is not None or errors is not None or newline is not None):
        return _real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)  # CPython's own error
    raw_mode = "".join(c for c in mode if c in "rwax+")
    raw = _LimitedFileIO(file, raw_mode, closefd, opener=opener)
    try:
        line_buffering = buffering == 1 or (buffering < 0 and raw.isatty())
        if buffering == 1 or buffering < 0:
            buffering = io.DEFAULT_BUFFER_SIZE
        if buffering == 0:
            if binary:
                return raw
            raise ValueError("can't have unbuffered text I/O")
        buffer = (io.BufferedRandom if "+" in mode else io.BufferedWriter)(raw, buffering)
        if binary:
            return buffer
        text = io.TextIOWrapper(buffer, encoding, errors, newline, line_buffering)
        text.mode = mode
        return text
    except BaseException:
        raw.close()
        raise


_real_write = os.write
_real_pwrite = os.pwrite
_real_ftruncate = os.ftruncate
_real_truncate = os.truncate


def _write(fd, data):
    limit = _file_limit
    if limit is not None and fd > 2:
        st = os.fstat(fd)
        if (st.st_mode & 0o170000) == 0o100000 and os.lseek(fd, 0, os.SEEK_CUR) + memoryview(data).nbytes > limit:
            raise _too_large(None)
    return _real_write(fd, data)


def _grows_past_limit(fd, end):
    """Whether writing up to byte `end` of the regular file `fd` takes it past the run's file-size limit."""
    limit = _file_limit
    return limit is not None and fd > 2 and (os.fstat(fd).st_mode & 0o170000) == 0o100000 and end > limit


def _pwrite(fd, data, offset):
    if _grows_past_limit(fd, offset + memoryview(data).nbytes):
        raise _too_large(None)
    return _real_pwrite(fd, data, offset)


def _ftruncate(fd, length):
    if _file_limit is not None and length > _file_limit:
        raise _too_large(None)
    return _real_ftruncate(fd, length)


def _truncate(path, length):
    if _file_limit is not None and length > _file_limit:
        raise _too_large(path)
    return _real_truncate(path, length)


def install():
    """Puts the size-limited open/write in place (once, before the interpreter baseline is taken: runs keep them)."""
    builtins.open = io.open = _io.open = _open
    os.write, os.ftruncate, os.truncate = _write, _ftruncate, _truncate
    os.pwrite = _pwrite  # (WASI's os has no writev, sendfile or copy_file_range)

"""Capture of a run's stdout/stderr: capped buffers, optionally streamed as events and to the component's stdio."""
import io
import os

# Default cap of each of stdout and stderr (EXEC_OUTPUT_LIMIT_BYTES overrides it).
DEFAULT_OUTPUT_LIMIT = 1 << 20


class Sink(io.RawIOBase):
    """Bytes written by the program to one stream. Past `limit` bytes output is dropped and a marker appended once."""

    def __init__(self, kind, limit, on_chunk=None, live_fd=None):
        super().__init__()
        self.kind = kind  # "stdout" or "stderr"
        self.limit = limit
        self.data = bytearray()
        self.truncated = False
        self._on_chunk = on_chunk
        self._live_fd = live_fd

    def writable(self):
        return True

    def write(self, b):
        n = len(b)
        if self.truncated or n == 0:
            return n
        chunk = bytes(b)
        room = self.limit - len(self.data)
        if n > room:
            marker = f"\n[golem-exec: {self.kind} truncated after {self.limit} bytes]\n".encode()
            chunk = chunk[:room] + marker
            self.truncated = True
        self.data += chunk
        if self._on_chunk is not None:
            self._on_chunk(self.kind, chunk)
        if self._live_fd is not None:
            _write_all(self._live_fd, chunk)
        return n

    def text(self):
        return self.data.decode("utf-8", errors="replace")


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except OSError:
            return  # the host closed our stdout: the run goes on, its events still carry the output
        view = view[written:]


def text_stream(sink, errors):
    """A `sys.stdout`-like text stream over `sink` (with `.buffer`), line-buffered as CPython's stdout is on a
    terminal: text reaches the sink (and a streamed run's events) a line at a time, or when flushed (`flush=True`,
    `input()`, the run's end), so one `print(a, b)` is one chunk, not one per argument and separator. Text without a
    newline waits in the wrapper (up to its 8 KiB chunk size) as it would on a terminal."""
    return io.TextIOWrapper(sink, encoding="utf-8", errors=errors, newline="\n", line_buffering=True)

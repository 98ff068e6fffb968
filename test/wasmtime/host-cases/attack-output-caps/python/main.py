# Output past the cap by ways around the guest's own capped streams: `raw` writes to the file descriptors directly
# (os.write, io.FileIO: the component's own stdio, which the host forwards), `raise` first lifts the guest's own cap
# (the `limit` of the sink under sys.stdout), `utf8` does that and writes 3-byte characters (the host cuts before the
# one that crosses the limit). 5 MB per stream each; the host cuts what it returns, streams and forwards at 1 MiB per
# stream with one marker.
import io
import os
import sys

MB = 1_000_000


def write_all(write, data):
    view = memoryview(data)
    while view:
        view = view[write(view):]


if sys.argv[1] == "raw":
    write_all(lambda b: os.write(1, b), b"x" * (3 * MB))
    write_all(io.FileIO(1, "w", closefd=False).write, b"x" * (2 * MB))
    write_all(lambda b: os.write(2, b), b"y" * (5 * MB))
else:
    for stream in (sys.stdout, sys.stderr):
        for sink in (stream.buffer, getattr(stream.buffer, "raw", None)):
            if hasattr(sink, "limit"):
                sink.limit = 10**10
    if sys.argv[1] == "utf8":
        sys.stdout.write("\u20ac" * 400_000)
    else:
        sys.stdout.write("x" * (5 * MB))
        sys.stderr.write("y" * (5 * MB))

"""What the sandbox does not offer, said in the error a program dies of.

CPython's own messages for these are true but do not say why: `No module named 'numpy'`, `unknown url type: https`,
`No module named 'concurrent.futures.thread'`. An uncaught exception of that kind gets the reason appended to its
message before its traceback is printed (so it is also in the error line the host puts into ExecError.message).
"""
import sys
import urllib.error

from . import stdlib

_THREADS = ("threading", "_thread", "concurrent.futures.thread", "concurrent.futures.process", "multiprocessing")
_NO_THREADS = ("threads and processes are not available in the golem-exec sandbox (a single-threaded WebAssembly "
               "interpreter): do the work sequentially, or interleave it with asyncio")
_NO_NETWORK = ("no network access in the golem-exec sandbox: no http(s), no sockets; "
               "give the program its data as files or stdin instead")


# The packages of golem-exec's data-work interpreter (host/src/api/data-run.ts DATA_PACKAGES, the main ones): a Node
# host runs a program that imports one there once it is installed.
_DATA_PACKAGES = ("numpy", "pandas", "matplotlib", "scipy", "sklearn", "statsmodels", "seaborn", "PIL", "lxml", "sympy")


def _no_package(name):
    if name in _DATA_PACKAGES:
        return (f"{name} runs on golem-exec's data-work interpreter (numpy, pandas, matplotlib, scipy), which is not "
                "installed: run `npm run setup:data` (in a checkout) or `npx golem-exec setup-data` (Node 24 or later; not "
                "available on the wasmtime host)")
    bundled = ", ".join(stdlib.BUNDLED) or "none"
    return (f"the golem-exec sandbox has no package {name!r} and cannot install one (no pip, no network); it offers "
            f"the Python standard library and the bundled packages: {bundled}")


def _reason(exc):
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        if exc.name.startswith(_THREADS):
            return _NO_THREADS
        top = exc.name.split(".")[0]
        if top not in sys.stdlib_module_names:
            return _no_package(top)
        return None
    if isinstance(exc, urllib.error.URLError):
        return _NO_NETWORK
    if isinstance(exc, RuntimeError) and "thread" in str(exc):
        return _NO_THREADS
    return None


def explain(exc):
    """Appends what the sandbox does not offer to the message of `exc`, if it is about that (best effort)."""
    reason = _reason(exc)
    if reason is None:
        return
    try:
        if isinstance(exc, ImportError):
            exc.msg = f"{exc.msg} ({reason})"
        elif isinstance(exc, urllib.error.URLError):
            exc.reason = f"{exc.reason} ({reason})"
        else:
            exc.args = (f"{exc.args[0] if exc.args else ''} ({reason})",) + tuple(exc.args[1:])
    except Exception:  # a read-only attribute of some subclass: the traceback stays as CPython wrote it
        pass

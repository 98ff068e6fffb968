"""Modules imported at build time so that user code can import them.

componentize-py snapshots the interpreter after the guest's top-level code ran; the component has no standard library
on a filesystem at run time, so a module user code imports must already be in `sys.modules` by then. The list is the
issue's curated set plus what those pull in naturally; README.md records what it costs.
"""
import importlib

# The set user code may import (README.md lists it). Order does not matter.
PREIMPORTED = (
    "abc", "argparse", "array", "ast", "asyncio", "base64", "binascii", "bisect", "calendar", "cmath", "collections",
    "collections.abc", "contextlib", "copy", "csv", "dataclasses", "datetime", "decimal", "difflib", "enum", "fnmatch",
    "fractions", "functools", "glob", "graphlib", "gzip", "hashlib", "heapq", "hmac", "html", "html.parser",
    "inspect", "io", "itertools", "json", "logging", "math", "numbers", "operator", "os", "os.path", "pathlib",
    "pprint", "random", "re", "secrets", "shlex", "shutil", "sqlite3", "statistics", "string", "struct", "sys",
    "tarfile", "tempfile", "textwrap", "time", "traceback", "typing", "unicodedata", "unittest", "urllib.parse",
    "uuid", "warnings", "xml.etree.ElementTree", "zipfile", "zlib", "zoneinfo",
    # Beyond the list: cheap and commonly used in code-runner programs.
    "atexit", "bz2", "codecs", "colorsys", "contextvars", "copyreg", "dis", "email", "errno", "gc", "getopt",
    "http", "http.client", "keyword", "linecache", "locale", "lzma", "platform", "queue", "quopri", "reprlib", "sched",
    "selectors", "signal", "socket", "stat", "string", "subprocess", "threading", "timeit", "token", "tokenize",
    "types", "urllib", "urllib.error", "urllib.request", "weakref", "xml", "xml.dom", "xml.dom.minidom",
    "xml.sax", "zipimport", "unittest.mock", "asyncio.subprocess", "concurrent.futures", "json.decoder", "optparse", "string.templatelib",
    "annotationlib", "compression", "compression.zstd", "importlib", "importlib.metadata", "importlib.resources",
    "importlib.util", "importlib.abc",
)

# Every codec of the `encodings` package (cp437 for zipfile's file names, idna/punycode, the charmaps, the CJK codecs,
# ...): a codec is found by importing `encodings.<name>` when it is first looked up, which at run time finds nothing
# (issue 14: zipfile failed with "unknown encoding: cp437"). Each is small; README.md records what they cost.
import encodings as _encodings
import pkgutil as _pkgutil

_WINDOWS_ONLY = ("mbcs", "oem")
CODECS = tuple(f"encodings.{m.name}" for m in _pkgutil.iter_modules(_encodings.__path__) if m.name not in _WINDOWS_ONLY)

MISSING = []
for _name in PREIMPORTED + CODECS:
    try:
        importlib.import_module(_name)
    except Exception as _err:  # a module the WASI build of CPython lacks (e.g. one needing a C extension)
        MISSING.append((_name, str(_err)))

# Packages bundled from requirements.txt: the build writes their import names to `golem_exec_bundled`.
try:
    import golem_exec_bundled
except ImportError:
    BUNDLED = ()
else:
    BUNDLED = tuple(golem_exec_bundled.MODULES)
for _name in BUNDLED:
    importlib.import_module(_name)  # a bundled package that fails to import must fail the build

# `exit()` / `quit()` come from the site module, which the component does not run; CPython's REPL-less scripts have them.
import builtins as _builtins

if not hasattr(_builtins, "exit"):
    class _Quitter:
        def __init__(self, name):
            self.name = name

        def __repr__(self):
            return f"Use {self.name}() or Ctrl-D (i.e. EOF) to exit"

        def __call__(self, code=None):
            raise SystemExit(code)

    _builtins.exit = _Quitter("exit")
    _builtins.quit = _Quitter("quit")

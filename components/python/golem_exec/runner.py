"""Runs one Python program the way `python main.py args...` would, isolated from the runs before and after it."""
import ast
import atexit
import builtins
import gc
import importlib
import importlib.abc
import importlib.util
import io
import linecache
import os
import random
import sys
import time
import traceback
import types
from operator import is_

from componentize_py_types import Err
from wit_world.exports.types import (
    Error_CompilationFailed, Error_ResourceExceeded, Error_RuntimeFailed, Error_Timeout, ExecResult, StageResult,
)

from . import hints, limits, memfs, output, sandbox, settings, tracebacks

# Modules of the guest itself: never rolled back between runs.
_GUEST_PREFIXES = ("golem_exec", "app", "executor", "wit_world", "componentize_py", "poll_loop", "__main__")

# Stdin of a streamed run with `stdin = none`: the component's own stdin (wasi:cli/stdin).
OWN_STDIN = object()

# Size-limited open() and os.write in place before the interpreter baseline is taken (runs keep them).
limits.install()


class Program:
    """What to run: the entry's source and where it lives (a directory, or in-memory files when there is none)."""

    def __init__(self, entry, source, *, root=None, cwd=None, script_dir=None, memory_files=None, entry_dir=(),
                 repl=None):
        self.entry = entry  # the path as given, for sys.argv[0]
        self.repl = repl  # a Repl: the source is evaluated in its namespace, the final expression's value kept
        self.source = source
        self.root = root  # the session/run directory the program is confined to; None without a filesystem
        self.cwd = cwd
        self.script_dir = script_dir
        self.memory_files = memory_files  # {"a/b.py": bytes} when there is no filesystem
        self.entry_dir = tuple(entry_dir)

    @property
    def filename(self):
        if self.root is None:
            return "/".join(self.entry_dir + (self.entry.rsplit("/", 1)[-1],))
        return os.path.join(self.script_dir, self.entry.rsplit("/", 1)[-1])


class Repl:
    """A session's persistent interpreter state: the `__main__` module its evaluations share, as in Python's REPL.

    It lives in the session (guest memory), not in any module the rollback after each run puts back, so names it
    defines survive; everything else an evaluation changes (modules' dicts, sys, builtins) is rolled back as after a run.
    """

    FILENAME = "<stdin>"  # what tracebacks of REPL input show, as in Python's REPL

    def __init__(self):
        self.main = types.ModuleType("__main__")
        self.main.__builtins__ = builtins
        self.value = None  # repr() of the last evaluation's final expression, or None

    def compile(self, source):
        """The code of `source` as statements, and its final expression apart (None if it does not end in one)."""
        tree = ast.parse(source, self.FILENAME, "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        body = compile(tree, self.FILENAME, "exec", dont_inherit=True)
        return body, (compile(last, self.FILENAME, "eval", dont_inherit=True) if last is not None else None)

    def run(self, code, namespace):
        body, last = code
        exec(body, namespace)
        if last is not None:
            value = eval(last, namespace)
            if value is not None:
                builtins._ = value  # rolled back with builtins after the evaluation, so `_` is kept here too
                namespace["_"] = value
                # repr() runs the program's own __repr__: inside the limits, like the rest of the evaluation.
                self.value = repr(value)


class _MemoryFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the program's sibling modules from in-memory files (stateless runs without a filesystem)."""

    def __init__(self, files, base):
        self.files = files
        self.base = base

    def _lookup(self, fullname):
        rel = "/".join(self.base + tuple(fullname.split(".")))
        rel = rel.lstrip("/")
        if rel + "/__init__.py" in self.files:
            return rel + "/__init__.py", True
        if rel + ".py" in self.files:
            return rel + ".py", False
        return None, False

    def find_spec(self, fullname, path=None, target=None):
        name, is_pkg = self._lookup(fullname)
        if name is None:
            return None
        spec = importlib.util.spec_from_loader(fullname, self, origin=name, is_package=is_pkg)
        spec.has_location = True
        if is_pkg:
            spec.submodule_search_locations = []
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__spec__.origin
        source = self.files[name]
        module.__file__ = name
        text = source.decode("utf-8", errors="replace")
        linecache.cache[name] = (len(text), None, text.splitlines(True), name)
        exec(compile(source, name, "exec", dont_inherit=True), module.__dict__)


# What the rollback calls, bound now: the program may have replaced them (in builtins, in gc) by the time it runs.
_all, _len, _list, _map, _tuple = all, len, list, map, tuple
_gc_disable, _gc_enable, _gc_isenabled = gc.disable, gc.enable, gc.isenabled


class _Snapshot:
    """One mapping as it was (sys.modules, builtins, sys's dict), and the fast check that it still is."""

    __slots__ = ("saved", "keys", "values")

    def __init__(self, mapping):
        self.saved = dict(mapping)
        self._remember(mapping)

    def _remember(self, mapping):
        self.keys = _tuple(mapping)
        self.values = _tuple(mapping.values())

    def restore(self, current):
        # The common case, nothing changed: the same keys holding the same objects in the same order, compared by
        # identity in C (map/all over operator.is_ run no Python code, neither ours nor the program's __eq__). The
        # lists are copied from the dict in one C call each (much cheaper than stepping a dict iterator here).
        keys = self.keys
        if (_len(current) == _len(keys) and _all(_map(is_, _list(current), keys))
                and _all(_map(is_, _list(current.values()), self.values))):
            return
        saved = self.saved
        for key in [k for k in current if k not in saved]:
            del current[key]
        for key, value in saved.items():
            if current.get(key, _baseline_missing) is not value:
                current[key] = value
        self._remember(current)  # a key deleted and put back comes last: the next check compares the new order


class _Baseline:
    """The interpreter state user code may change; every run is rolled back to it.

    The modules' dicts (the bulk of it) are recorded at build time, at the end of the component's pre-initialisation
    (`record_modules`), so the first run does not pay for it. `sys` and what the component's start-up may rebind
    (stdio, argv, path) are recorded at the first run.
    """

    def __init__(self, module_dicts):
        self.modules = _Snapshot(sys.modules)
        self.module_dicts = module_dicts
        self.sys = _Snapshot(sys.__dict__)
        self.builtins = _Snapshot(builtins.__dict__)
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.importer_cache = dict(sys.path_importer_cache)
        self.recursion_limit = sys.getrecursionlimit()
        self.std = (sys.stdin, sys.stdout, sys.stderr, sys.argv)
        self.hooks = (sys.excepthook, sys.displayhook, sys.breakpointhook)

    def restore(self):
        self.builtins.restore(builtins.__dict__)
        self.modules.restore(sys.modules)
        self.sys.restore(sys.__dict__)
        # Every other module's dict is put back whole, changed or not: clear() + update() from the recorded copy are
        # two C passes (the update clones the recorded table), several times cheaper than comparing ~13,000 entries
        # one by one (measured in the guest under wasmtime: 6.8 ms -> 1.4 ms a run). No collection may run while a
        # dict is half refilled (a finalizer could find its module empty): the cyclic GC is paused meanwhile.
        gc_was_enabled = _gc_isenabled()
        _gc_disable()
        try:
            for module, saved in self.module_dicts:
                current = module.__dict__
                current.clear()
                current.update(saved)
        finally:
            if gc_was_enabled:
                _gc_enable()
        sys.path[:] = self.path
        sys.meta_path[:] = self.meta_path
        sys.path_hooks[:] = self.path_hooks
        sys.path_importer_cache.clear()
        sys.path_importer_cache.update(self.importer_cache)
        sys.setrecursionlimit(self.recursion_limit)
        sys.stdin, sys.stdout, sys.stderr, sys.argv = self.std
        sys.excepthook, sys.displayhook, sys.breakpointhook = self.hooks
        sys.settrace(None)
        sys.setprofile(None)


_module_dicts = None


def record_modules():
    """Records a copy of every loaded module's dict (but sys's): called once at build time, after the pre-imports."""
    global _module_dicts
    _module_dicts = [
        (mod, dict(mod.__dict__)) for name, mod in sys.modules.items()
        if isinstance(mod, types.ModuleType) and not name.startswith(_GUEST_PREFIXES) and name != "sys"
    ]


_baseline_missing = object()
_baseline = None


def _compile_entry(source, filename):
    # No cache of compiled code across runs (there was one: a 30 KB file compiles in tens of ms here). Any later program
    # of the instance could read it through sys.modules, one caller's source handed to the next; and a host that
    # resets the instance after every run would discard it anyway.
    return compile(source, filename, "exec", dont_inherit=True)


def _exit_code(exc, stderr):
    """The exit status CPython gives `raise SystemExit(code)`, printing a non-integer code to stderr."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return int(code)
    try:
        print(code, file=stderr)
    except Exception:
        pass
    return 1


def _is_import_syntax_error(exc):
    """A SyntaxError from compiling one of the program's files (raised by an import), not one user code raised itself
    (`raise SyntaxError(...)` has no filename; compile()/eval() of a string name it '<string>')."""
    filename = getattr(exc, "filename", None)
    return isinstance(exc, SyntaxError) and isinstance(filename, str) and not filename.startswith("<")


def _print_exception(exc, stderr):
    # Drop the guest's own frame (the `exec` call) so the traceback starts in the user's code, as CPython's does.
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:  # a REPL evaluation has two (Repl.run)
        tb = tb.tb_next
    hints.explain(exc)
    try:
        stderr.write(tracebacks.format_exception(exc, tb))
    except Exception as err:  # a broken __str__ or the like must not take the guest down
        stderr.write(f"{type(exc).__name__} (traceback unavailable: {err!r})\n")


def _stdin_stream(stdin):
    if stdin is OWN_STDIN:
        return io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace")
    data = stdin.encode("utf-8") if isinstance(stdin, str) else bytes(stdin or b"")
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace")


def execute(program, args, stdin, env, limits_of, on_chunk=None, live=False):
    """Runs `program` under `limits_of` (the call's WIT limits or None); returns an ExecResult or raises Err(error)."""
    global _baseline
    if _baseline is None:
        if _module_dicts is None:
            record_modules()
        _baseline = _Baseline(_module_dicts)
    started = time.perf_counter()
    to_stdio = live or settings.mirror_output()
    out_sink = output.Sink("stdout", settings.output_limit(), on_chunk, 1 if to_stdio else None)
    err_sink = output.Sink("stderr", settings.output_limit(), on_chunk, 2 if to_stdio else None)
    stdout = output.text_stream(out_sink, "strict")
    stderr = output.text_stream(err_sink, "backslashreplace")
    outcome = "ok"
    exit_code = 0
    memory_peak = None
    old_cwd = os.getcwd() if program.root is not None else None
    try:
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env})
        sys.argv = [program.entry, *args]
        sys.stdin = _stdin_stream(stdin)
        sys.stdout, sys.stderr = stdout, stderr
        sys.dont_write_bytecode = True  # no __pycache__ among the session's files
        if settings.host_isolation():
            # The host restores the instance to one recorded state before every run, the random module's state
            # included: without a new seed every run would draw the same numbers. 256 bits from one os.urandom call
            # (random.seed() reads 2,496 bytes, ten host calls of 256: ~0.7 ms a run).
            random.seed(int.from_bytes(os.urandom(32)))
        if program.root is not None:
            os.chdir(program.cwd)
            sys.path.insert(0, program.script_dir)
        else:
            sys.meta_path.insert(0, _MemoryFinder(program.memory_files, program.entry_dir))
            memfs.install(program.memory_files, program.entry_dir)
        # No importlib.invalidate_caches(): path_importer_cache is rolled back after each run, so every run gets
        # fresh FileFinders that list the directory anew (a file uploaded or changed since is seen).
        linecache.clearcache()
        if program.repl is not None:
            main = program.repl.main
            program.repl.value = None
        else:
            main = types.ModuleType("__main__")
            main.__file__ = program.filename
            main.__cached__ = None
            main.__builtins__ = builtins
        sys.modules["__main__"] = main
        if program.repl is not None:
            # Tracebacks quote the evaluated lines, as the REPL's do.
            text = program.source.decode("utf-8", errors="replace")
            linecache.cache[Repl.FILENAME] = (len(text), None, text.splitlines(True), Repl.FILENAME)
        elif program.root is None:
            text = program.source.decode("utf-8", errors="replace")
            linecache.cache[program.filename] = (len(text), None, text.splitlines(True), program.filename)
        try:
            code = (program.repl.compile(program.source) if program.repl is not None
                    else _compile_entry(program.source, program.filename))
        except (SyntaxError, ValueError) as exc:
            stderr.write("".join(traceback.format_exception_only(type(exc), exc)))
            outcome, exit_code = "compile", 1
        else:
            monitor = settings.monitor(limits_of)
            # The exit handlers run after the program are the program's own: drop what the interpreter registered
            # before it. In particular weakref.finalize registers its _exitfunc there when componentize-py creates
            # the first finalizer of an exported resource; running it would drop the handles of every live session
            # and stream from the guest side, and the host's later drop would then trap ("unknown handle index"). No
            # upstream issue: componentize-py's own finalizers, not meant to run before the instance ends.
            atexit._clear()
            sandbox.confine(program.root)
            limits.set_file_limit(None if limits_of is None or limits_of.file_size_bytes is None
                                  else limits_of.file_size_bytes)
            try:
                # The program and its exit handlers run under the limits (an exit handler that loops forever is
                # stopped like the program); the traceback is formatted outside them (a deep one takes long under
                # sys.monitoring). A LimitExceeded the program swallowed still counts (monitor.tripped).
                failure = None
                with monitor:
                    try:
                        if program.repl is not None:
                            program.repl.run(code, main.__dict__)
                        else:
                            exec(code, main.__dict__)
                    except SystemExit as exc:
                        exit_code = _exit_code(exc, stderr)
                    except BaseException as exc:
                        failure = exc
                if failure is not None and monitor.tripped is None and not isinstance(failure, limits.LimitExceeded):
                    if isinstance(failure, MemoryError):
                        outcome = "memory"  # CPython's own MemoryError (an allocation failed): a resource limit
                    else:
                        outcome, exit_code = ("compile" if _is_import_syntax_error(failure) else "runtime"), 1
                        _print_exception(failure, stderr)
                failure = None
                if monitor.tripped is None:
                    with monitor:
                        atexit._run_exitfuncs()
            except limits.LimitExceeded:
                pass  # raised again (the program caught the first one) after the program ended
            finally:
                atexit._clear()
                limits.set_file_limit(None)
                sandbox.release()
            if monitor.tripped is not None:
                outcome = monitor.tripped.outcome
            memory_peak = monitor.peak
        stdout.flush()
        stderr.flush()
    finally:
        sandbox.release()
        # A host that puts the instance back after every run needs no rollback of a run (~1 ms); a REPL evaluation
        # always has it, since the session's later calls start from the instance it leaves.
        if program.repl is not None or not settings.host_isolation():
            _baseline.restore()
        if old_cwd is not None:
            try:
                os.chdir(old_cwd)
            except OSError:
                pass
        os.environ.clear()
    elapsed = int((time.perf_counter() - started) * 1000)
    stage = StageResult(out_sink.text(), err_sink.text(), exit_code, None)
    if outcome == "compile":
        raise Err(Error_CompilationFailed(stage))
    if outcome == "runtime":
        raise Err(Error_RuntimeFailed(stage))
    # error.timeout and error.resource-exceeded carry no payload: the output of such a run is not returned (a
    # streamed run has already delivered it as chunks).
    if outcome == "timeout":
        raise Err(Error_Timeout())
    if outcome == "memory":
        raise Err(Error_ResourceExceeded())
    if memory_peak is None and not settings.host_measures_memory():
        memory_peak = limits.heap_top()
    return ExecResult(None, stage, elapsed, memory_peak)

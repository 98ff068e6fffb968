"""The component's own settings (EXEC_* variables of its environment, read once at run time) and per-call limits."""
import os

from . import output

# Wall-clock limit of a run when the call gives none (EXEC_TIMEOUT_MS overrides; 0, here or in a call, disables).
DEFAULT_TIMEOUT_MS = 5000

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
            # The host stops runs at their time limit and caps memory itself (the Node library, the wasmtime host):
            # no sys.monitoring watch (it costs 1.8-3.3x CPU on loops).
            "host_timeout": env.get("EXEC_HOST_TIMEOUT") == "1",
            # The host puts the instance back into one recorded state after every run: runs skip the guest's own
            # rollback (runner.py); REPL evaluations keep it.
            "host_isolation": env.get("EXEC_HOST_ISOLATION") == "1",
            # Every run writes its output to the component's own stdout/stderr as produced, not only a streamed run:
            # a host that stops a run (time limit) keeps what it printed so far from there.
            "mirror_output": env.get("EXEC_MIRROR_OUTPUT") == "1",
        }
    return _settings


def output_limit():
    return load()["output_limit"]


def host_measures_memory():
    """The host caps memory and reports a run's memory use itself (see `monitor`)."""
    return load()["host_timeout"]


def host_isolation():
    return load()["host_isolation"]


def mirror_output():
    return load()["mirror_output"]


def monitor(limits):
    """The limits monitor of one run (see limits.py): the call's limits, else EXEC_TIMEOUT_MS / EXEC_MEMORY_LIMIT_MB.
    Where the host enforces time and memory, only a memory limit the call gives is watched: the host passes one only
    when it is below the instance's memory cap (a session run asking for less than its session)."""
    from . import limits as guest_limits

    if load()["host_timeout"]:
        memory = limits.memory_bytes if limits is not None else None
        # The host reports the run's memory too (its linear memory, as for JavaScript): no peak measured here.
        return guest_limits.Monitor(None, memory, measure_peak=False)
    return guest_limits.monitor(limits, load()["timeout_ms"], load()["memory_limit_mb"])

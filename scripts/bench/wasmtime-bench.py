"""Benchmark of the components under the wasmtime host (host/wasmtime/golem_exec_wasmtime), printed as JSON:

    .venv/bin/python scripts/bench/wasmtime-bench.py [--iterations 40] [--cold] [--language python]
        [--allocator on-demand] [--host DIR]
    .venv/bin/python scripts/bench/wasmtime-bench.py --compare DIR [--iterations 40]

Per language and per instance allocator (on-demand, pooling):
- load_ms: loading the compiled component from the cache (Component.deserialize_file); with --cold also compile_ms,
  a compilation from scratch (15-40 s each on 2 cores, so off by default);
- instantiate_ms: a bare instance (Store + WASI context + Linker.instantiate; wasmtime-py 50 has no component
  InstancePre, so instantiation includes the linker's type-check);
- run_ms: hello-world `run` repeated on one sandbox: what a caller pays per run. This host starts every run from a
  pristine instance; a host that reuses one instance (--host with an older version) measures its warm run here;
- first_run_ms: a new Sandbox and its first hello-world run (a fresh instance, a fresh directory);
- session_run_ms: hello-world `session.run` repeated on one session (a pristine instance that adopts the session's
  directory per run);
- cpu_ms (on-demand only): a CPU-bound loop (1e6 iterations in JavaScript, 3e5 in Python), per run;
- backstop_ms / recover_ms (on-demand only): a builtin the guest cannot interrupt, run with time-ms 300, until the
  epoch deadline returns error.timeout; then the next hello-world.
Each timing is reported as p50 / p95 / min over the iterations. --host DIR imports golem_exec_wasmtime from DIR instead
(e.g. an older version: `git show <commit>:host/wasmtime/golem_exec_wasmtime.py > DIR/golem_exec_wasmtime.py`), to
compare against it on the same machine.

--compare DIR measures this host against the one in DIR in one process, each with its default allocator, in turn
within every iteration (so both see the same machine load, which matters on a shared one): hello-world `run` and
`session.run` repeated on one sandbox, a new sandbox and its first run, and the CPU-bound loop. Set up the venv first
with `node scripts/setup-wasmtime.mjs`.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELLO = {"javascript": ("main.js", b"console.log('hello world')"), "python": ("main.py", b"print('hello world')")}
#: CPU-bound work, where the guest's own deadline checks cost most (this host tells the guest `time-ms` 0).
CPU = {"javascript": ("main.js", b"let s = 0; for (let i = 0; i < 1e6; i++) s += i % 7; console.log(s)"),
       "python": ("main.py", b"s = 0\nfor i in range(300_000): s += i % 7\nprint(s)")}
RUNAWAY = {"javascript": ("main.js", b"/(a+)+$/.test('a'.repeat(40) + 'b')"), "python": ("main.py", b"sum(range(10**13))")}


def import_host(directory: Path):
    """The host module from `directory`; one outside the repository is pointed at the repository's components."""
    sys.path.insert(0, str(directory))
    import golem_exec_wasmtime as host
    if directory.resolve() != (ROOT / "host" / "wasmtime").resolve():
        host.ROOT = ROOT  # a single-file host finds build/exec-*.wasm through its ROOT
    return host


def load_other_host(directory: Path):
    """The host in `directory` (a golem_exec_wasmtime.py file or package) under another module name, beside this one;
    pointed at this repository's components."""
    package = directory / "golem_exec_wasmtime" / "__init__.py"
    path = package if package.exists() else directory / "golem_exec_wasmtime.py"
    spec = importlib.util.spec_from_file_location("golem_exec_wasmtime_other", path,
                                                  submodule_search_locations=[str(package.parent)] if package.exists() else None)
    host = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = host
    spec.loader.exec_module(host)
    host.ROOT = ROOT
    return host


def compare(this, other, languages: list[str], iterations: int) -> dict:
    """Both hosts in turn within every iteration (the order alternates), each with its default allocator."""
    results = {}
    for language in languages:
        hosts = {"this": this, "other": other}
        runtimes = {name: host.Runtime(cache_dir=ROOT / "build" / "wasmtime-cache") for name, host in hosts.items()}
        sandboxes = {name: host.Sandbox(language, runtime=runtimes[name]) for name, host in hosts.items()}
        sessions = {name: sandbox.session() for name, sandbox in sandboxes.items()}
        for name, session in sessions.items():
            session.upload(*HELLO[language])
            check_hello(sandboxes[name].run([HELLO[language]]), language)  # the first run of a reused instance
            check_hello(session.run(HELLO[language][0]), language)

        def fresh(name: str) -> None:
            with hosts[name].Sandbox(language, runtime=runtimes[name]) as sandbox:
                check_hello(sandbox.run([HELLO[language]]), language)

        measures = {
            "run_ms": lambda name: check_hello(sandboxes[name].run([HELLO[language]]), language),
            "session_run_ms": lambda name: check_hello(sessions[name].run(HELLO[language][0]), language),
            "first_run_ms": fresh,
            "cpu_ms": lambda name: sandboxes[name].run([CPU[language]], limits={"time-ms": 60_000}),
        }
        samples = {(name, measure): [] for name in hosts for measure in measures}
        for index in range(iterations):
            order = list(hosts) if index % 2 == 0 else list(reversed(hosts))
            for measure, fn in measures.items():
                if measure == "cpu_ms" and index % 4:
                    continue
                for name in order:
                    samples[(name, measure)].append(timed(lambda: fn(name))[0])
        for sandbox in sandboxes.values():
            sandbox.close()
        results[language] = {name: {measure: stats(samples[(name, measure)]) for measure in measures}
                             for name in hosts}
    return results


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def percentile(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 2)

    return {"p50": percentile(50), "p95": percentile(95), "min": round(ordered[0], 2), "n": len(ordered)}


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000, value


def check_hello(outcome, language: str) -> None:
    if not outcome["ok"] or outcome["value"]["run"]["stdout"] != "hello world\n":
        raise RuntimeError(f"hello-world failed under wasmtime ({language}): {outcome}")


def bench(host, language: str, runtime, iterations: int, cold: bool) -> dict:
    result = {}
    path = host.component_path(language)
    if cold:
        result["compile_ms"] = round(timed(lambda: host.Component(runtime.engine, path.read_bytes()))[0], 1)
    runtime.component(language)  # make sure the cache holds it
    if not runtime.pooling:
        result["load_ms"] = stats([timed(lambda: runtime.load(path))[0] for _ in range(3)])
    hello = lambda sandbox: check_hello(sandbox.run([HELLO[language]]), language)  # noqa: E731

    if hasattr(host, "Instance"):
        with host.Sandbox(language, runtime=runtime) as sandbox:
            result["instantiate_ms"] = stats([timed(lambda: sandbox.new_instance(sandbox.directory))[0]
                                              for _ in range(iterations)])
    with host.Sandbox(language, runtime=runtime) as sandbox:
        hello(sandbox)
        result["run_ms"] = stats([timed(lambda: hello(sandbox))[0] for _ in range(iterations)])
    first_run = []
    for _ in range(iterations):
        with host.Sandbox(language, runtime=runtime) as sandbox:
            first_run.append(timed(lambda: hello(sandbox))[0])
    result["first_run_ms"] = stats(first_run)
    with host.Sandbox(language, runtime=runtime) as sandbox:
        session = sandbox.session()
        session.upload(*HELLO[language])
        run = lambda: check_hello(session.run(HELLO[language][0]), language)  # noqa: E731
        run()
        result["session_run_ms"] = stats([timed(run)[0] for _ in range(iterations)])
        session.close()
    if not runtime.pooling:
        with host.Sandbox(language, runtime=runtime) as sandbox:
            cpu = lambda: sandbox.run([CPU[language]], limits={"time-ms": 60_000})  # noqa: E731
            result["cpu_ms"] = stats([timed(cpu)[0] for _ in range(max(3, iterations // 4))])
        result.update(backstop(language, host.Sandbox(language, runtime=runtime), max(3, iterations // 8)))
    return result


def backstop(language: str, sandbox, iterations: int) -> dict:
    stopped, recovered = [], []
    with sandbox:
        check_hello(sandbox.run([HELLO[language]]), language)
        for _ in range(iterations):
            ms, outcome = timed(lambda: sandbox.run([RUNAWAY[language]], limits={"time-ms": 300}))
            if outcome["ok"] or outcome["error"]["tag"] != "timeout":
                raise RuntimeError(f"the runaway program was not stopped by a timeout ({language}): {outcome}")
            stopped.append(ms)
            recovered.append(timed(lambda: check_hello(sandbox.run([HELLO[language]]), language))[0])
    return {"backstop_ms": stats(stopped), "recover_ms": stats(recovered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--cold", action="store_true", help="also time a compilation from scratch")
    parser.add_argument("--language", action="append", choices=("javascript", "python"))
    parser.add_argument("--allocator", action="append", choices=("on-demand", "pooling"))
    parser.add_argument("--host", type=Path, default=ROOT / "host" / "wasmtime",
                        help="directory to import golem_exec_wasmtime from (default: this repository's)")
    parser.add_argument("--compare", type=Path, help="measure --host against the host in this directory, in turn")
    options = parser.parse_args()

    if options.compare:
        this, other = import_host(options.host), load_other_host(options.compare)
        report = {"this": str(options.host), "other": str(options.compare), "load": os.getloadavg()[0],
                  "iterations": options.iterations,
                  "results": compare(this, other, options.language or ["javascript", "python"], options.iterations),
                  "load_after": os.getloadavg()[0]}
        print(json.dumps(report, indent=2))
        return

    host = import_host(options.host)
    report = {"host": str(options.host), "wasmtime": host.package_version("wasmtime"), "machine": platform.machine(),
              "python": platform.python_version(), "load": os.getloadavg()[0], "iterations": options.iterations,
              "results": {}}
    for allocator in options.allocator or ("on-demand", "pooling"):
        runtime = host.Runtime(cache_dir=ROOT / "build" / "wasmtime-cache", pooling=allocator == "pooling")
        for language in options.language or ("javascript", "python"):
            report["results"].setdefault(language, {})[allocator] = bench(host, language, runtime, options.iterations,
                                                                          options.cold)
    report["load_after"] = os.getloadavg()[0]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

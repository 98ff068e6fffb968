"""Benchmark of the components under wasmtime (host/wasmtime/golem_exec_wasmtime.py), printed as JSON:

    .venv/bin/python scripts/bench/wasmtime-bench.py [--iterations 20] [--cold]

Per language and per instance allocator (on-demand, pooling):
- load_ms: loading the compiled component from the cache (Component.deserialize_file); with --cold also compile_ms,
  a compilation from scratch (15-40 s each on 2 cores, so off by default);
- instantiate_ms: a fresh instance (Store + WASI context + Linker.instantiate; wasmtime-py 50 has no component
  InstancePre, so instantiation includes the linker's type-check);
- first_run_ms: a fresh instance plus its first hello-world `run` (what a sandbox per request costs);
- warm_run_ms: hello-world `run` on an instance that has already run once;
- backstop_ms / recover_ms (on-demand only): a builtin the guest cannot interrupt, run with time-ms 300, until the
  epoch deadline returns error.timeout (deadline 300 + 100 ms margin); then the next hello-world on the fresh instance.
Each timing is reported as median / p90 / min over the iterations. Set up the venv first with
`node scripts/setup-wasmtime.mjs`.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "host" / "wasmtime"))

import golem_exec_wasmtime as host  # noqa: E402

HELLO = {"javascript": ("main.js", b"console.log('hello world')"), "python": ("main.py", b"print('hello world')")}


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median": round(statistics.median(ordered), 2), "p90": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
            "min": round(ordered[0], 2), "n": len(ordered)}


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000, value


def hello(sandbox: host.Sandbox, language: str):
    outcome = sandbox.run([HELLO[language]])
    if not outcome["ok"] or outcome["value"]["run"]["stdout"] != "hello world\n":
        raise RuntimeError(f"hello-world failed under wasmtime ({language}): {outcome}")


def bench(language: str, runtime: host.Runtime, iterations: int, cold: bool) -> dict:
    result = {}
    if cold:
        wasm = host.component_path(language).read_bytes()
        result["compile_ms"] = round(timed(lambda: host.Component(runtime.engine, wasm))[0], 1)
    runtime.load(host.component_path(language))  # make sure the cache holds it
    result["load_ms"] = stats([timed(lambda: runtime.load(host.component_path(language)))[0] for _ in range(3)])
    runtime.component(language)

    instantiate, first_run, warm_run = [], [], []
    for _ in range(iterations):
        with host.Sandbox(language, runtime=runtime) as sandbox:
            instantiate.append(timed(sandbox._instance)[0])
        with host.Sandbox(language, runtime=runtime) as sandbox:
            first_run.append(timed(lambda: hello(sandbox, language))[0])
            warm_run.append(timed(lambda: hello(sandbox, language))[0])
    result.update(instantiate_ms=stats(instantiate), first_run_ms=stats(first_run), warm_run_ms=stats(warm_run))
    if not runtime.pooling:
        result.update(backstop(language, runtime, max(3, iterations // 4)))
    return result


RUNAWAY = {"javascript": ("main.js", b"/(a+)+$/.test('a'.repeat(40) + 'b')"), "python": ("main.py", b"sum(range(10**13))")}


def backstop(language: str, runtime: host.Runtime, iterations: int) -> dict:
    stopped, recovered = [], []
    with host.Sandbox(language, runtime=runtime) as sandbox:
        hello(sandbox, language)
        for _ in range(iterations):
            ms, outcome = timed(lambda: sandbox.run([RUNAWAY[language]], limits={"time-ms": 300}))
            if outcome["ok"] or outcome["error"]["tag"] != "timeout":
                raise RuntimeError(f"the runaway program was not stopped by a timeout ({language}): {outcome}")
            stopped.append(ms)
            recovered.append(timed(lambda: hello(sandbox, language))[0])
    return {"backstop_ms": stats(stopped), "recover_ms": stats(recovered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="also time a compilation from scratch")
    parser.add_argument("--language", action="append", choices=host.LANGUAGES)
    options = parser.parse_args()

    report = {"host": "wasmtime-py", "wasmtime": host.package_version("wasmtime"), "machine": platform.machine(),
              "python": platform.python_version(), "iterations": options.iterations, "results": {}}
    for allocator, pooling in (("on-demand", False), ("pooling", True)):
        runtime = host.Runtime(pooling=pooling)
        for language in options.language or host.LANGUAGES:
            report["results"].setdefault(language, {})[allocator] = bench(language, runtime, options.iterations,
                                                                          options.cold)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

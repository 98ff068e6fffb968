"""The eryx peer (pyeryx, a Python host over componentize-py's CPython 3.14 in wasmtime) measured the way child.mjs
measures our subjects. Run with the bench venv's interpreter (.cache/eryx-venv, made by eryx.mjs); reads one JSON
object on stdin, prints one JSON line (cold mode: a line "FIRST ..." first, where the orchestrator stops its clock).

    eryx-driver.py cold       {"hello": code}                     import, Sandbox(), first execute, RSS after it
    eryx-driver.py warm       {"hello": code, "runs": n}          execute again and again on one Sandbox
    eryx-driver.py fresh      {"hello": code, "runs": n}          Sandbox() + execute per run
    eryx-driver.py session    {"hello": code, "runs": n}          Session.execute (state kept between runs)
    eryx-driver.py cpu        {"hello": code, "reps": n, "workloads": [{"name", "code"}]}   timed inside the program

Each Sandbox.execute of eryx runs in isolation (eryx documents it: no state carries over between executions), so
"warm" is its counterpart of our pooled run with fresh state.
"""

import json
import resource
import sys
import time

import eryx

# As generous as ours (subjects.mjs OUR_LIMITS): the CPU workloads must not meet eryx's 30 s default either.
LIMITS = eryx.ResourceLimits(execution_timeout_ms=120_000)


def rss_mb():
    """Current resident set of this process in MiB (what Node's process.memoryUsage().rss reports for ours)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def check_hello(result):
    if result.stdout_text != "hello\n":
        raise SystemExit(f"eryx: hello-world printed {result.stdout_text!r}")


def timed(fn, runs, pause_s=0.0):
    samples = []
    for _ in range(runs):
        if pause_s:
            time.sleep(pause_s)  # workloads.mjs WARM_PAUSE_MS: a run that finds the sandbox ready
        started = time.perf_counter()
        check_hello(fn())
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def cold(job):
    sandbox = eryx.Sandbox(resource_limits=LIMITS)
    result = sandbox.execute(job["hello"])
    print("FIRST " + json.dumps(result.stdout_text), flush=True)
    check_hello(result)
    return {"rssAfterStartMb": rss_mb(), "peakRssMb": peak_rss_mb()}


def warm(job):
    sandbox = eryx.Sandbox(resource_limits=LIMITS)
    timed(lambda: sandbox.execute(job["hello"]), 20)
    samples = timed(lambda: sandbox.execute(job["hello"]), job["runs"], job.get("pauseMs", 0) / 1000)
    back_to_back = timed(lambda: sandbox.execute(job["hello"]), job["runs"])
    return {"samples": samples, "backToBack": back_to_back, "rssMb": rss_mb()}


def fresh(job):
    run = lambda: eryx.Sandbox(resource_limits=LIMITS).execute(job["hello"])
    timed(run, 1)
    return {"samples": timed(run, job["runs"])}


def session(job):
    live = eryx.Session(execution_timeout_ms=120_000)
    timed(lambda: live.execute(job["hello"]), 20)
    return {"samples": timed(lambda: live.execute(job["hello"]), job["runs"])}


def cpu(job):
    sandbox = eryx.Sandbox(resource_limits=LIMITS)
    check_hello(sandbox.execute(job["hello"]))
    results = {}
    for workload in job["workloads"]:
        runs = []
        for _ in range(job["reps"]):
            started = time.perf_counter()
            stdout = sandbox.execute(workload["code"]).stdout_text
            wall_ms = (time.perf_counter() - started) * 1000
            last = json.loads(stdout.strip().split("\n")[-1])
            runs.append({"check": last["check"], "ms": last["ms"], "wallMs": wall_ms})
        results[workload["name"]] = runs
    return {"results": results, "peakRssMb": peak_rss_mb()}


MODES = {"cold": cold, "warm": warm, "fresh": fresh, "session": session, "cpu": cpu}

if __name__ == "__main__":
    mode = sys.argv[1]
    out = MODES[mode](json.load(sys.stdin))
    out["version"] = eryx.__version__
    print(json.dumps(out), flush=True)

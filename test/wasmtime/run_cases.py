"""Runs the conformance cases (test/cases, format in test/cases/README.md) against both components under wasmtime,
through the host in host/wasmtime/golem_exec_wasmtime/, and writes a JSON report of every step's outcome.

The expectations are checked by test/wasmtime.test.ts with the same code the jco suite uses (test/support/driver.ts),
so both hosts are held to one reading of case.json. This script only executes steps and records what came back:

    python test/wasmtime/run_cases.py --report out.json [--cases DIR ...] [--language python] [--only NAME]

Each case runs in a fresh Sandbox (own temporary directory preopened at /workspace; none for cases named
no-filesystem*), which runs every step's program in a pristine instance; all sandboxes share one engine and the
compiled components.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "host" / "wasmtime"))

import golem_exec_wasmtime as host  # noqa: E402

EXT = {"javascript": "js", "python": "py"}
ENTRY = re.compile(r"^main\.(js|mjs|cjs|ts|mts|cts|py)$")
LIMIT_NAMES = {"timeMs": "time-ms", "memoryBytes": "memory-bytes", "fileSizeBytes": "file-size-bytes",
               "maxProcesses": "max-processes"}


# -- loading cases (as test/support/cases.ts does) ---------------------------------------------------------------------

def read_sources(directory: Path) -> list[dict]:
    files = sorted((p for p in directory.rglob("*") if p.is_file()), key=lambda p: p.relative_to(directory).parts)
    sources = [{"name": "/".join(p.relative_to(directory).parts), "bytes": p.read_bytes()} for p in files]
    return sorted(sources, key=lambda f: 0 if ENTRY.match(f["name"]) else 1)  # stable: entry first


def load_cases(directory: Path) -> list[dict]:
    cases = []
    for case_dir in sorted(p for p in directory.iterdir() if (p / "case.json").exists()):
        spec = json.loads((case_dir / "case.json").read_text())
        sources = {lang: read_sources(case_dir / lang) for lang in EXT if (case_dir / lang).is_dir()}
        cases.append({"name": case_dir.name, "skip": spec.get("skip", {}), "steps": spec["steps"], "sources": sources,
                      "instanceEnv": spec.get("instanceEnv", {})})
    return cases


def substitute(value, language: str, entry: str):
    if isinstance(value, str):
        return value.replace("${ext}", EXT[language]).replace("${entry}", entry)
    if isinstance(value, list):
        return [substitute(v, language, entry) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, language, entry) for k, v in value.items()}
    return value


def case_file(file: dict) -> tuple:
    encoding = file.get("contentEncoding", "utf8")
    content = file["content"]
    raw = {"utf8": lambda: content.encode(), "base64": lambda: base64.b64decode(content),
           "hex": lambda: bytes.fromhex(content)}[encoding]()
    return (file["name"], raw, file.get("encoding"))


def limits_of(step: dict):
    limits = step.get("limits")
    if limits is None:
        return None
    unknown = set(limits) - set(LIMIT_NAMES)
    if unknown:
        raise ValueError(f"unknown limits field(s) {sorted(unknown)}")
    return {LIMIT_NAMES[k]: v for k, v in limits.items()}


# -- JSON-safe outcomes -------------------------------------------------------------------------------------------------

def jsonable(value):
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


# -- running one case -----------------------------------------------------------------------------------------------------

class CaseRunner:
    def __init__(self, language: str, case: dict, runtime: host.Runtime):
        self.language = language
        self.case = case
        self.live = {"stdout": bytearray(), "stderr": bytearray()}
        self.sandbox = host.Sandbox(language, runtime=runtime, preopen=not case["name"].startswith("no-filesystem"),
                                    env=case["instanceEnv"], stdout=self.live["stdout"].extend,
                                    stderr=self.live["stderr"].extend)
        self.sessions: dict[str, host.Session] = {}

    @property
    def sources(self) -> list[dict]:
        files = self.case["sources"].get(self.language)
        if not files:
            raise ValueError(f"test/cases/{self.case['name']} has no {self.language}/ sources and no skip entry")
        return files

    @property
    def entry(self) -> str:
        files = self.case["sources"].get(self.language) or []
        return files[0]["name"] if files else f"main.{EXT[self.language]}"

    def files(self, step: dict) -> list[tuple]:
        if "files" in step:
            return [case_file(f) for f in step["files"]]
        return [(f["name"], f["bytes"], None) for f in self.sources]

    def run_all(self) -> list[dict]:
        records = []
        try:
            for raw in self.case["steps"]:
                merged = {**raw, **raw.get("byLanguage", {}).get(self.language, {})}
                step = substitute(merged, self.language, self.entry)
                started = time.perf_counter()
                record = {"call": step["call"], "expect": step.get("expect"), **self.run_step(step)}
                record["seconds"] = round(time.perf_counter() - started, 4)
                records.append(record)
            for session in self.sessions.values():  # as the jco driver does at the end of a case
                session.close()
                session.drop()
        except Exception:  # recorded: the TS side fails the case with this text
            records.append({"call": "crash", "crash": traceback.format_exc()})
        finally:
            self.sandbox.close()
        return records

    def live_output(self, call) -> dict:
        """The call's record plus what the component wrote to its own stdio meanwhile (a program's raw descriptor
        writes land there)."""
        self.live["stdout"].clear()
        self.live["stderr"].clear()
        record = call()
        return {**record, "liveStdout": self.live["stdout"].decode(errors="replace"),
                "liveStderr": self.live["stderr"].decode(errors="replace")}

    def stream(self, start) -> dict:
        self.live["stdout"].clear()
        self.live["stderr"].clear()
        stream = start()
        events = list(stream.events())
        after = stream.get_next()
        stream.drop()  # as the jco driver does: a host drops a stream once it has read it
        return {"events": events, "getNextAfterEnd": after, "liveStdout": self.live["stdout"].decode(errors="replace"),
                "liveStderr": self.live["stderr"].decode(errors="replace")}

    def run_step(self, step: dict) -> dict:
        call = step["call"]
        owner, verb = call.split(".", 1) if "." in call else ("executor", call)
        env = [tuple(e) for e in step.get("env", [])]
        args = step.get("args", [])
        limits = limits_of(step)
        stdin_text = step.get("stdin")
        stdin_bytes = (stdin_text or "").encode()
        lang = {"kind": self.language, "version": None, **step.get("lang", {})}

        if owner == "host":
            if verb == "session-dirs":
                # What is left on the host: directories of sessions neither closed nor reclaimed.
                count = sum(1 for entry in Path(self.sandbox.directory).iterdir() if entry.name.startswith("session-"))
                expected = step["expect"]["count"]
                if count != expected:  # recorded as a crash, which fails the case
                    raise AssertionError(f"session directories on the host: {count}, expected {expected}")
                return {}
            if verb != "symlink":
                raise ValueError(f"unknown call {call}")
            for entry in Path(self.sandbox.directory).iterdir():
                os.symlink(step["target"], entry / step["name"])
            return {}
        if owner == "executor":
            if verb == "run":
                return self.live_output(lambda: {"outcome": self.sandbox.run(
                    self.files(step), stdin=stdin_text, args=args, env=env, limits=limits, language=lang["kind"],
                    version=lang["version"])})
            if verb == "run-streaming":
                return self.stream(lambda: self.sandbox.run_streaming(
                    self.files(step), stdin=stdin_bytes, args=args, env=env, limits=limits, language=lang["kind"],
                    version=lang["version"]))
            raise ValueError(f"unknown call {call}")
        if verb == "create":
            self.sessions[owner] = self.sandbox.session(lang["kind"], lang["version"])
            return {}
        session = self.sessions.get(owner)
        if session is None:
            raise ValueError(f"{owner}.create must come before {call}")
        if verb == "upload-sources":
            return {"uploads": [session.upload(f["name"], f["bytes"]) for f in self.sources]}
        if verb == "upload":
            return {"outcome": session.upload(*case_file(step["file"]))}
        if verb == "run":
            return self.live_output(lambda: {"outcome": session.run(step["entrypoint"], args=args, stdin=stdin_text,
                                                                    env=env, limits=limits)})
        if verb == "run-streaming":
            return self.stream(lambda: session.run_streaming(step["entrypoint"], args=args, stdin=stdin_bytes, env=env,
                                                             limits=limits))
        if verb == "eval":
            return {"outcome": session.eval(step["code"], limits=limits)}
        if verb == "download":
            return {"outcome": session.download(step["path"])}
        if verb == "list-files":
            return {"outcome": session.list_files(step["dir"])}
        if verb == "remove":
            return {"outcome": session.remove(step["path"])}
        if verb == "set-working-dir":
            return {"outcome": session.set_working_dir(step["path"])}
        if verb == "close":
            session.close()
            return {}
        if verb == "drop":
            session.drop()
            del self.sessions[owner]
            return {}
        raise ValueError(f"unknown call {call}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--report", default=str(ROOT / "build" / "wasmtime-conformance.json"), help="where to write the JSON report")
    parser.add_argument("--cases", action="append", help="case directories (default: test/cases)")
    parser.add_argument("--language", action="append", choices=host.LANGUAGES)
    parser.add_argument("--only", help="run only the case with this name")
    options = parser.parse_args()

    runtime = host.Runtime()
    report = {"wasmtime": host.package_version("wasmtime"), "results": {}, "loadSeconds": {}}
    for language in options.language or host.LANGUAGES:
        started = time.perf_counter()
        runtime.component(language)  # compile (or load from the cache) once, outside any case's time
        report["loadSeconds"][language] = round(time.perf_counter() - started, 3)
        for directory in options.cases or [str(ROOT / "test" / "cases")]:
            for case in load_cases(Path(directory)):
                if (options.only and case["name"] != options.only) or case["skip"].get(language):
                    continue
                started = time.perf_counter()
                runner = CaseRunner(language, case, runtime)
                steps = runner.run_all()
                report["results"][f"{language}/{case['name']}"] = {
                    "steps": jsonable(steps), "seconds": round(time.perf_counter() - started, 4),
                    "instances": runner.sandbox.instances, "stoppedByHost": runner.sandbox.stopped}
    partial = Path(f"{options.report}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(report, indent=1))
    os.replace(partial, options.report)  # atomic: a concurrent run never reads half a report


if __name__ == "__main__":
    main()

"""golem:exec guest for CPython: the exported `types` and `executor` interfaces (world `exec`).

`Executor` holds the interface's free functions; the resources live in `executor.py`, as componentize-py expects.
Everything else is in the `golem_exec` package.
"""
from wit_world import exports

from golem_exec import service, stdlib  # noqa: F401  (stdlib: pre-imports the modules user code may import)
from executor import ExecStream


class Types(exports.Types):
    pass


class Executor(exports.Executor):
    @service.guarded
    def run(self, lang, files, stdin, args, env, constraints):
        return service.run_stateless(lang, files, stdin, args, env, constraints)

    def run_streaming(self, lang, files, stdin, args, env, constraints):
        stdin = service.runner.OWN_STDIN if stdin is None else stdin
        return ExecStream(service.streamed(
            lambda on_chunk: service.run_stateless(lang, files, stdin, args, env, constraints, on_chunk)))

class Repl(exports.Repl):
    @service.guarded
    def eval(self, session, code, constraints):
        return session.state.eval(code, constraints)


class Files(exports.Files):
    @service.guarded
    def remove(self, session, path):
        session.state.remove(path)


# The end of the build-time pre-initialisation: every module user code can import is loaded now. Their dicts are
# recorded here, for the rollback after each run (golem_exec/runner.py), so that no run pays for recording them.
service.runner.record_modules()

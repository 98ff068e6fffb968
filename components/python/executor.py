"""The resources of golem:exec/executor: `Session` and `ExecStream` (componentize-py looks them up here)."""
from wit_world.exports import executor

from golem_exec import runner, service


class ExecStream(executor.ExecStream):
    """Events of a run that already finished: run-streaming runs the program eagerly, chunks went out live."""

    def __init__(self, events):
        self._pending = list(events)

    def get_next(self):
        if self._pending:
            events, self._pending = self._pending, []
            return events
        return None

    def blocking_get_next(self):
        events, self._pending = self._pending, []
        return events


class Session(executor.Session):
    def __init__(self, lang):
        service.settings.load()
        self.state = service.SessionState(lang)  # public: the repl interface's eval (app.py) evaluates in it

    @service.guarded
    def upload(self, file):
        self.state.upload(file)

    @service.guarded
    def run(self, entrypoint, args, stdin, env, constraints):
        return self.state.run(entrypoint, args, stdin, env, constraints)

    def run_streaming(self, entrypoint, args, stdin, env, constraints):
        stdin = runner.OWN_STDIN if stdin is None else stdin
        return ExecStream(service.streamed(
            lambda on_chunk: self.state.run(entrypoint, args, stdin, env, constraints, on_chunk)))

    @service.guarded
    def download(self, path):
        return self.state.download(path)

    @service.guarded
    def list_files(self, dir):
        return self.state.list_files(dir)

    @service.guarded
    def set_working_dir(self, path):
        self.state.set_working_dir(path)

    def close(self):
        self.state.close()

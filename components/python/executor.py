"""The resources of golem:exec/executor: `Session` and `ExecStream` (componentize-py looks them up here)."""
from wit_world.exports import executor

from golem_exec import runner, service


class ExecStream(executor.ExecStream):
    """Events of a run that already finished: run-streaming runs the program eagerly, chunks went out live."""

    def __init__(self, events):
        self._pending = list(events)
        self._done = False

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
        self._state = service.SessionState(lang)

    @service.guarded
    def upload(self, file):
        self._state.upload(file)

    @service.guarded
    def run(self, entrypoint, args, stdin, env, constraints):
        return self._state.run(entrypoint, args, stdin, env, constraints)

    def run_streaming(self, entrypoint, args, stdin, env, constraints):
        stdin = runner.OWN_STDIN if stdin is None else stdin
        return ExecStream(service.streamed(
            lambda on_chunk: self._state.run(entrypoint, args, stdin, env, constraints, on_chunk)))

    @service.guarded
    def download(self, path):
        return self._state.download(path)

    @service.guarded
    def list_files(self, dir):
        return self._state.list_files(dir)

    @service.guarded
    def set_working_dir(self, path):
        self._state.set_working_dir(path)

    def close(self):
        self._state.close()

    def __del__(self):
        # Dropping the handle without close() deletes the session's files too.
        try:
            self._state.close()
        except Exception:
            pass

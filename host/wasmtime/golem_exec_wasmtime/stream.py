"""exec-stream as the caller sees it: the events of a run that is already over (its instance is gone)."""
from __future__ import annotations

from typing import Iterator, Optional


class ExecStream:
    """An exec-stream: get_next / blocking_get_next as in the WIT (events as {"tag", "val"} dicts), or events().

    Both guests run the program inside the call that returns the stream, so the host reads every event at once
    (capping the chunks) and drops the run's instance; the stream then hands the events out."""

    def __init__(self, events: list[dict]):
        self._events: Optional[list[dict]] = events

    @classmethod
    def failed(cls, outcome: dict) -> "ExecStream":
        """A stream of one `failed` event: a run that could not start (its error Outcome)."""
        return cls([{"tag": "failed", "val": outcome["error"]}])

    def _next(self) -> Optional[list]:
        """The remaining events, or None once the stream is over."""
        events, self._events = self._events, None
        return events or None

    def blocking_get_next(self) -> list:
        """At least one event, or [] once the stream is over."""
        return self._next() or []

    def get_next(self) -> Optional[list]:
        """The events available now, or None once the stream is over."""
        return self._next()

    def events(self) -> Iterator[dict]:
        while batch := self.blocking_get_next():
            yield from batch

    def drop(self) -> None:
        """Drops the stream (its instance is already gone)."""
        self._events = None

"""The traceback of an uncaught exception, as CPython prints it, in time proportional to its distinct frames.

CPython 3.14's `traceback` formats every frame of a stack (source line, caret anchors: ~1 ms a frame in the component)
before it folds a run of identical frames into "[Previous line repeated N more times]": the traceback of a
RecursionError at `sys.setrecursionlimit(100000)` took ~100 s to print (issue 14). Here a run of identical frames (same
code, same instruction) is extracted once and repeated as the same FrameSummary object, and formatted once; the text is
the same as `traceback.format_exception`'s (test/host/guest-crashes.test.ts compares them).

Uses two helpers private to CPython's traceback module (`StackSummary._extract_from_extended_frame_gen`,
`_get_code_position`), as of the CPython 3.14 that componentize-py bundles; `format_exception` falls back to the plain
`traceback` path if they change.
"""
import itertools
import sys
import traceback


class _RepeatedStack(traceback.StackSummary):
    """A StackSummary that formats the same FrameSummary object once for a run of it."""

    _last = None

    def format_frame_summary(self, frame_summary, **kwargs):
        last = self._last
        if last is not None and last[0] is frame_summary and last[1] == kwargs:
            return last[2]
        text = super().format_frame_summary(frame_summary, **kwargs)
        self._last = (frame_summary, kwargs, text)
        return text


def _stack(tb):
    """The StackSummary `traceback` makes of `tb`, with each run of identical frames extracted once."""
    runs = []  # [(code, instruction), first traceback entry of the run, length]
    while tb is not None:
        key = (tb.tb_frame.f_code, tb.tb_lasti)
        if runs and runs[-1][0] == key:
            runs[-1][2] += 1
        else:
            runs.append([key, tb, 1])
        tb = tb.tb_next
    firsts = traceback.StackSummary._extract_from_extended_frame_gen(
        ((t.tb_frame, traceback._get_code_position(t.tb_frame.f_code, t.tb_lasti)) for _, t, _ in runs),
        limit=None, lookup_lines=True, capture_locals=False)
    stack = _RepeatedStack()
    for summary, (_, _, length) in zip(firsts, runs):
        stack.extend(itertools.repeat(summary, length))
    return stack


def _fill(te, exc, tb, seen):
    """Gives `te` (built without stacks) and the exceptions chained to it the stacks of `exc` and its chain."""
    if te is None or exc is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = _stack(tb)
    _fill(te.__cause__, exc.__cause__, getattr(exc.__cause__, "__traceback__", None), seen)
    _fill(te.__context__, exc.__context__, getattr(exc.__context__, "__traceback__", None), seen)
    for sub_te, sub in zip(te.exceptions or (), getattr(exc, "exceptions", None) or ()):
        _fill(sub_te, sub, sub.__traceback__, seen)


def format_exception(exc, tb):
    """`traceback.format_exception(type(exc), exc, tb)` as one string."""
    if getattr(sys, "tracebacklimit", None) is not None:  # a limit counts frames, not runs of them: the plain path
        return "".join(traceback.format_exception(type(exc), exc, tb))
    try:
        te = traceback.TracebackException(type(exc), exc, tb, limit=0, compact=True)
        _fill(te, exc, tb, set())
        return "".join(te.format())
    except (AttributeError, TypeError):  # the private helpers changed: the plain path, slow for deep stacks
        return "".join(traceback.format_exception(type(exc), exc, tb))

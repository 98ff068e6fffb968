"""Reclaims exported resources (sessions, exec-streams) whose handle the host dropped without `close`.

componentize-py 0.25 gives an exported resource no destructor hook (no upstream issue; its runtime's resource
destructor does not call into Python): when the host drops a handle, that destructor does nothing, and the Python object stays referenced by the handle's `rep` for the life of the
instance. So the guest never hears of the drop directly. What it can see is the handle number componentize-py
stores on each object it hands out (`__componentize_py_handle`): a handle number is reused only after the previous
handle with that number was dropped. When a newer object of the same resource type carries the number of an older
one, the older one is gone, and its state (a session's directory, a stream's pending events) is released.

Reclaiming is therefore lazy: a dropped session's files go when its handle number is handed out again, or when the
instance ends. Hosts should call `close()`.
"""
import weakref

# Set by componentize-py's runtime on an exported resource when it is handed to the host.
_HANDLE_ATTR = "__componentize_py_handle"


class Registry:
    """The live objects of one exported resource type, in creation order."""

    def __init__(self):
        self._objects = []  # weak references, oldest first

    def add(self, obj):
        self._objects.append(weakref.ref(obj))

    def reap(self):
        """Releases every object whose handle number a newer object of this type holds; returns how many."""
        newest = set()
        dropped = []
        kept = []
        for ref in reversed(self._objects):
            obj = ref()
            if obj is None:
                continue
            handle = getattr(obj, _HANDLE_ATTR, None)
            if handle is not None and handle in newest:
                dropped.append(obj)
                continue
            if handle is not None:
                newest.add(handle)
            kept.append(ref)
        kept.reverse()
        self._objects = kept
        for obj in dropped:
            try:
                obj.release()
            except Exception:
                pass
        return len(dropped)


sessions = Registry()
streams = Registry()


def reap():
    sessions.reap()
    streams.reap()

# Run after a program that tampered with builtins and modules in the ways case.json's first step lists: all undone.
import builtins
import gc
import json

dirty = [
    builtins.all([0]),
    builtins.list((1,)) != [1],
    gc.disable.__module__ != "gc",
    json.dumps(1) != "1",
    not hasattr(json, "JSONDecoder"),
    hasattr(json, "JSONDecoderX"),
]
print("clean" if not any(dirty) else f"dirty: {dirty}")

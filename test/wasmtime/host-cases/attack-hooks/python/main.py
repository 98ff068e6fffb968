# An attacker's program, run around a victim's run in the same sandbox. `plant` installs hooks in places the guest's
# own rollback does not know about (a stdlib class attribute, a root logging handler) that stash whatever later runs
# pass through them, and writes a file; `harvest` prints what the hooks caught, the runner's cache of earlier runs'
# sources, and whether the file is there (a session keeps its files, nothing else).
import json
import logging
import os
import sys


def plant():
    stash = []
    original = json.JSONEncoder.encode

    def encode(self, o):
        stash.append(repr(o))
        return original(self, o) + " /*hooked*/"

    encode.stash = stash
    json.JSONEncoder.encode = encode

    class Catch(logging.Handler):
        def emit(self, record):
            stash.append(record.getMessage())

    catch = Catch()
    catch.stash = stash
    logging.getLogger().addHandler(catch)
    with open("planted.txt", "w") as f:
        f.write("planted")
    print("planted")


def harvest():
    caught = list(getattr(json.JSONEncoder.encode, "stash", []))
    for handler in logging.getLogger().handlers:
        caught += getattr(handler, "stash", [])
    runner = sys.modules.get("golem_exec.runner")
    caught += [repr(source) for source in getattr(runner, "_code_cache", {})]
    print("caught:", caught)
    hooked = hasattr(json.JSONEncoder.encode, "stash") or any(hasattr(h, "stash") for h in logging.getLogger().handlers)
    print("hooks:", hooked)
    print("file:", open("planted.txt").read() if os.path.exists("planted.txt") else "none")


{"plant": plant, "harvest": harvest}[sys.argv[1]]()

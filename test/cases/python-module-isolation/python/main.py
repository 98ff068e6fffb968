import builtins
import json
import os
import sys

json.dumps = lambda *a, **k: "PATCHED"
builtins.leaked = True
sys.path.append("/elsewhere")
os.environ["LEAK"] = "1"
import helper  # noqa: F401  (a user module: must not stay in sys.modules)

GLOBAL_FROM_FIRST_RUN = 1
print("patched")

import builtins
import json
import os
import sys

print(json.dumps([1]))
print(hasattr(builtins, "leaked"))
print("/elsewhere" in sys.path)
print("LEAK" in os.environ or "MARK" in os.environ)
print("helper" in sys.modules)
print("GLOBAL_FROM_FIRST_RUN" in globals())

# C recursion CPython counts against its own stack limit: each must end in RecursionError, not a trap.
import json
import sys


def nested(depth):
    outer = inner = []
    for _ in range(depth):
        inner.append([])
        inner = inner[0]
    return outer


class Chain:
    def __init__(self, n):
        Chain(n + 1)


def python_recursion(n):
    return python_recursion(n + 1)


deep = nested(100000)
cases = {
    "json.dumps": lambda: json.dumps(deep),
    "json.loads": lambda: json.loads("[" * 100000 + "]" * 100000),
    "repr": lambda: repr(deep),
    "==": lambda: deep == nested(100000),
    "python recursion at limit 100000": lambda: (sys.setrecursionlimit(100000), python_recursion(0)),
    "__init__ recursion at limit 1000000": lambda: (sys.setrecursionlimit(1000000), Chain(0)),
}
for name, case in cases.items():
    try:
        case()
        print(name, "no exception")
    except RecursionError:
        print(name, "RecursionError")

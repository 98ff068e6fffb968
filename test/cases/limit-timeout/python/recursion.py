# Recurses until the stack overflows, catches that (and anything else), and recurses again (exponentially many
# calls). Recursing again from inside the handler instead chains every RecursionError to the one before, and freeing
# that chain overflows V8's wasm stack under Node: the host's backstop, not this case (README, limits).
def dive(depth):
    try:
        dive(depth + 1)
    except BaseException:
        pass
    dive(depth + 1)


dive(0)

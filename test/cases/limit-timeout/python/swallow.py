# Catches whatever stops the inner loop (even a BaseException) and goes on looping.
while True:
    try:
        while True:
            pass
    except BaseException:
        pass

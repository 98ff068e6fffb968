# A bomb that catches MemoryError (and everything else) and keeps allocating.
blocks = []
while True:
    try:
        while True:
            blocks.append(bytes(1024))
    except BaseException:
        pass

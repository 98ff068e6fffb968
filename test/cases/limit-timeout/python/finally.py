try:
    while True:
        pass
finally:
    i = 0
    while True:
        i += 1

def spin():
    n = 0
    while True:
        n += 1


try:
    spin()
except Exception:
    print("a timeout is not an Exception user code can swallow")

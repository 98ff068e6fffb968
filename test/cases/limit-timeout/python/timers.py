# An exit handler that never returns (the JavaScript twin keeps an interval timer alive).
import atexit


def forever():
    while True:
        pass


atexit.register(forever)
print("registered")

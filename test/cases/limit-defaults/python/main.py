# Busy for about 600 ms of wall time.
import time

end = time.monotonic() + 0.6
while time.monotonic() < end:
    pass
print("done")
print("and more")

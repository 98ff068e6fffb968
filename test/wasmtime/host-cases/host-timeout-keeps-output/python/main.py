import sys
print("before")
print("err", file=sys.stderr)
while True:
    pass

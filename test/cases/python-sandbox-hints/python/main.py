import sys
print("before", flush=True)
exec(sys.argv[1])

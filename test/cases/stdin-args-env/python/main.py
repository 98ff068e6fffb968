import os, sys
data = sys.stdin.read()
print('stdin: ' + repr(data))
print('args:', sys.argv[1:])
print(f"GREETING={os.environ['GREETING']} EMPTY={os.environ['EMPTY']} keys={','.join(sorted(os.environ))}")

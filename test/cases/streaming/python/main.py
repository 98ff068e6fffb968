import sys
print('one', flush=True)
print('two', file=sys.stderr, flush=True)
print('three', flush=True)

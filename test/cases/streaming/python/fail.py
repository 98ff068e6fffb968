print('partial', flush=True)
raise RuntimeError('stream failure')

import builtins, json, os, sys
builtins.leak = 'builtin'
json.dumps = lambda *a, **k: 'patched'
sys.path.insert(0, '/nowhere')
os.environ['LEAKED'] = '1'
import helper
helper.state.append('x')
print('polluted')

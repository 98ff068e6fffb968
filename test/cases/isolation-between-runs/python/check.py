import builtins, json, os, sys
import helper
polluted = [hasattr(builtins, 'leak'), json.dumps(1) != '1', '/nowhere' in sys.path, 'LEAKED' in os.environ, helper.state != []]
print('clean' if not any(polluted) else f'polluted: {polluted}')

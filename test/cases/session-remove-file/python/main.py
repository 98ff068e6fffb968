import os
print(f"gone.txt: {'present' if os.path.exists('gone.txt') else 'absent'}, keep.txt: {open('keep.txt').read()}")

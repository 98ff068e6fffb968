import os
n = int(open('data/input.txt').read())
os.makedirs('out', exist_ok=True)
with open('out/result.txt', 'w') as f:
    f.write(f'{n + 1}\n')
print(f'read {n}, wrote out/result.txt')

import os, glob
for p in ['..', '/workspace', '/', '/etc/passwd']:
    try:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                for f in files:
                    if f == 'secret.txt':
                        print('LEAK', open(os.path.join(root, f)).read())
        else:
            print('LEAK?', open(p).read()[:20])
    except Exception as e:
        print('refused', p, type(e).__name__)
print('own: ' + ','.join(sorted(os.listdir('.'))))

open('tmp.txt', 'w').write('ok')
print('wrote and read back: ' + open('tmp.txt').read())

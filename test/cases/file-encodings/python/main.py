for name in ['all-bytes.bin', 'hex.bin', 'text.txt', 'default.txt']:
    b = open(name, 'rb').read()
    print(name, len(b), b[0], b[-1], sum(b))

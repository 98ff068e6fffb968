print(open('first.txt').read())

try:
    print(open('etc-link/passwd').read()[:20])
except Exception as e:
    print('refused', type(e).__name__)

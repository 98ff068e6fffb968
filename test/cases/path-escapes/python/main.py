for p in ['/etc/passwd', '../../../../etc/passwd', '/proc/self/environ']:
    try:
        print(open(p).read()[:40])
    except Exception:
        print('refused ' + p)

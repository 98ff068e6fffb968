VALUE = 1
def oops(:
    pass

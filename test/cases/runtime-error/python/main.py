print('started')
def fail():
    raise ValueError('boom')
fail()

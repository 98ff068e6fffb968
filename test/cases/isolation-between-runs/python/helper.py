state = []

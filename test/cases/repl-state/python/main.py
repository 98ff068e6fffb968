print("rows" in globals(), "f" in globals())

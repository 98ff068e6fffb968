print("still here")

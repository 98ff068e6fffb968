import gc

# A full collection: before the fix, this (or the exit handlers run after every program) made componentize-py drop
# handles the host had already dropped, which trapped the instance.
print("collected", gc.collect() >= 0)
with open("note.txt", "a") as f:
    f.write("run\n")
print(open("note.txt").read().count("run"))

# An allocation bomb: a list that keeps growing with fresh 1 KiB blocks.
blocks = []
while True:
    blocks.append(bytes(1024))

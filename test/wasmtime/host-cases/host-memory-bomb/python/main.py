# Grows without bound; the host's 64 MiB linear-memory cap stops it.
chunks = []
while True:
    chunks.append(bytearray(1 << 20))

# Writes past limits.file-size-bytes (4096) fail with OSError(EFBIG), which the program can catch; no file grows past it.
import errno
import os
import pathlib
import sys

with open("small.txt", "w") as f:
    f.write("a" * 2000)
try:
    with open("big.txt", "w") as f:
        f.write("b" * 8000)
except OSError as e:
    print("big:", errno.errorcode[e.errno])
try:
    with open("small.txt", "a") as f:
        f.write("c" * 2500)
except OSError as e:
    print("append:", errno.errorcode[e.errno])
with open("small.txt", "a") as f:
    f.write("d" * 2096)
print("small:", os.path.getsize("small.txt"))
print("big within the limit:", not os.path.exists("big.txt") or os.path.getsize("big.txt") <= 4096)
for label, write in (("pathlib", lambda: pathlib.Path("p.bin").write_bytes(b"x" * 4097)),
                     ("os.write", lambda: os.write(os.open("raw.bin", os.O_WRONLY | os.O_CREAT), b"x" * 4097)),
                     ("os.pwrite", lambda: os.pwrite(os.open("raw2.bin", os.O_WRONLY | os.O_CREAT), b"x" * 10, 4090)),
                     ("truncate", lambda: os.truncate("small.txt", 10000))):
    try:
        write()
    except OSError as e:
        print(label + ":", errno.errorcode[e.errno])
if sys.argv[1:] == ["uncaught"]:
    with open("huge.txt", "wb") as f:
        f.write(b"x" * 10000)

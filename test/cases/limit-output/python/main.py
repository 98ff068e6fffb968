# 2 MiB to each of stdout and stderr, then an exit code: past 1 MiB the output is cut with a marker and the
# program keeps running to its end.
import sys

line = "x" * 1023 + "\n"
for _ in range(2048):
    sys.stdout.write(line)
for _ in range(2048):
    sys.stderr.write(line)
sys.exit(3)

# The program a session runs before and after the runaway ones: writes state, then reads it back.
import sys

if sys.argv[1:] == ["write"]:
    with open("state.txt", "w") as f:
        f.write("kept")
print("state:", open("state.txt").read())

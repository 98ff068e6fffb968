# There are no processes in the sandbox: every way to start one fails with an OSError or does not exist.
import os
import subprocess

for label, start in (("subprocess.run", lambda: subprocess.run(["echo", "hi"])),
                     ("subprocess.Popen", lambda: subprocess.Popen("echo hi", shell=True)),
                     ("os.system", lambda: os.system("echo hi")),
                     ("os.fork", lambda: os.fork()),
                     ("os.execv", lambda: os.execv("/bin/sh", ["sh"])),
                     ("os.posix_spawn", lambda: os.posix_spawn("/bin/sh", ["sh"], {}))):
    try:
        start()
        print(label, "started")
    except OSError as e:
        print(label, "OSError")
    except AttributeError:
        print(label, "missing")

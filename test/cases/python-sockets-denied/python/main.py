# Below the guest's Python-level guard there is no network either: the component imports no wasi:sockets, and the
# sockets-denied stub composed into it refuses every request with access-denied (EACCES: PermissionError).
import sys
import _socket

sys.modules["golem_exec.sandbox"]._active = False  # a determined program can turn the guest's guard off
attempts = [
    ("tcp", lambda: _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)),
    ("udp", lambda: _socket.socket(_socket.AF_INET6, _socket.SOCK_DGRAM)),
    ("getaddrinfo", lambda: _socket.getaddrinfo("example.com", 80)),
    ("gethostbyname", lambda: _socket.gethostbyname("localhost")),
]
for name, attempt in attempts:
    try:
        print(name, "REACHED", attempt())
    except OSError as err:
        print(name, type(err).__name__)

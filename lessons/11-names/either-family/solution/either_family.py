# Reference solution for either-family.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "") or None
PORTS = [
    int(os.environ.get("SOCKETLINGS_PORT", "8079")),
    int(os.environ.get("SOCKETLINGS_SECOND_PORT", "8080")),
]

for port in PORTS:
    # create_connection() walks getaddrinfo()'s list: a refused ::1 is followed by 127.0.0.1, or the other way.
    with socket.create_connection((HOST, port), timeout=5) as sock:
        print("reached", sock.getpeername()[0])
        with sock.makefile("rb") as f:
            line = f.readline()
        token = line.decode().split()[1]
        sock.sendall(f"ECHO {token}\n".encode())

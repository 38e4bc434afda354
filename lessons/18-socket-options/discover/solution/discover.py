# Reference solution for discover.
import os
import socket
import time

HOST = os.environ.get("SOCKETLINGS_HOST", "127.255.255.255")  # the loopback's broadcast address
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
WAIT = float(os.environ.get("SOCKETLINGS_WAIT", "1"))  # seconds to collect answers

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)  # else sendto() raises PermissionError
    sock.sendto(b"WHO?", (HOST, PORT))
    deadline = time.monotonic() + WAIT
    names = []
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            data, sender = sock.recvfrom(1024)
        except TimeoutError:
            break
        word, _, name = data.decode(errors="replace").partition(" ")
        if word == "HERE" and name not in names:  # UDP may deliver an answer twice
            names.append(name)
    for name in names:
        print(name)

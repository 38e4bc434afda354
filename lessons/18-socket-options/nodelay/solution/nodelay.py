# Reference solution for nodelay.
import os
import socket
import struct

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))


def send_frame(sock, payload):
    # Two small writes, as layered code often does: the length, then the payload.
    sock.sendall(struct.pack("!I", len(payload)))
    sock.sendall(payload)


with socket.create_connection((HOST, PORT)) as sock:
    # Without this, the payload waits (Nagle's algorithm) until the length is acknowledged,
    # and the server's kernel delays that acknowledgement: about 40 ms per answer on Linux.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with sock.makefile("rb") as f:
        for line in f:
            word, _, token = line.decode().strip().partition(" ")
            if word != "go":
                break  # "done"
            send_frame(sock, token.encode())

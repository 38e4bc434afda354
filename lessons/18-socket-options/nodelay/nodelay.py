# Exercise nodelay: answer a server's questions without waiting for Nagle's algorithm.
# Run it: socketlings verify nodelay
import os
import socket
import struct

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))


def send_frame(sock, payload):
    # Two small writes, as layered code often does: the length, then the payload.
    sock.sendall(struct.pack("!I", len(payload)))
    sock.sendall(payload)


# TODO: connect to (HOST, PORT). The server sends lines "go <token>\n"; answer each with
#       send_frame(sock, token) before reading the next one. On the line "done", close and end.
#       Then make the answers fast: at least 10 of the 20 timed ones must arrive within
#       30 ms of their question. (Keep send_frame as it is; a socket option is enough.)

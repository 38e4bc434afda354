# Reference solution for sum-client.
import os
import socket
import struct

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
GROUPS = [[int(n) for n in g.split()] for g in os.environ.get("SOCKETLINGS_NUMBERS", "3 -7 100;5 6").split(";")]

REQUEST = struct.Struct("!2sBH")  # magic, version, count: 5 bytes, no padding with '!'
ANSWER = struct.Struct("!2sBI")  # magic, status, body length: 7 bytes


def recv_exactly(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError(f"server closed after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


with socket.create_connection((HOST, PORT)) as sock:
    for group in GROUPS:
        sock.sendall(REQUEST.pack(b"SL", 1, len(group)) + struct.pack(f"!{len(group)}i", *group))
        magic, status, length = ANSWER.unpack(recv_exactly(sock, ANSWER.size))
        if magic != b"SL":
            raise ValueError(f"not an answer: {magic!r}")
        body = recv_exactly(sock, length)
        if status == 0:
            (total,) = struct.unpack("!q", body)
            print(f"sum {total}")
        else:
            print(f"error {body.decode()}")

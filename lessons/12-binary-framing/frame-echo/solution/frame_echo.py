# Reference solution for frame-echo.
import os
import socket
import struct

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
MAX_FRAME = 65536
HEADER = struct.Struct("!I")  # 4 bytes, big-endian (network order), unsigned


def recv_exactly(conn, n):
    """n bytes, or None if the peer closes first."""
    buf = bytearray()
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def serve(conn):
    number = 0
    while True:
        header = recv_exactly(conn, HEADER.size)
        if header is None:
            return  # the client is done (or gave up inside a header)
        (length,) = HEADER.unpack(header)
        if length > MAX_FRAME:
            return  # reject before reading a single byte of the body
        payload = recv_exactly(conn, length) if length else b""
        if payload is None:
            return
        number += 1
        conn.sendall(struct.pack("!II", 4 + length, number) + payload)


with socket.create_server((HOST, PORT)) as server:
    while True:
        conn, _ = server.accept()
        with conn:
            serve(conn)

# Reference solution for file-store.
import os
import socket
import struct
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
MAX_SIZE = int(os.environ.get("SOCKETLINGS_MAX_SIZE", "1048576"))

files = {}  # name (bytes) -> data (bytes)
lock = threading.Lock()


class Vanished(Exception):
    """The client closed in the middle of a message."""


def recv_exactly(conn, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = conn.recv(min(n - len(buf), 65536))
        if not chunk:
            raise Vanished
        buf += chunk
    return bytes(buf)


def send_error(conn, text):
    message = text.encode()
    conn.sendall(b"E" + struct.pack("!H", len(message)) + message)


def serve(conn):
    with conn:
        try:
            while op := conn.recv(1):  # b'' here, between requests: the client is done
                (length,) = struct.unpack("!H", recv_exactly(conn, 2))
                name = recv_exactly(conn, length)
                if op == b"P":
                    (size,) = struct.unpack("!I", recv_exactly(conn, 4))
                    if size > MAX_SIZE:
                        send_error(conn, "too large")  # refused at the header: the data is never read
                        return
                    data = recv_exactly(conn, size)  # raises Vanished if the upload ends early
                    with lock:
                        files[name] = data  # only a complete upload replaces anything
                    conn.sendall(b"K" + struct.pack("!I", size))
                elif op == b"G":
                    with lock:
                        data = files.get(name)
                    if data is None:
                        send_error(conn, "no such file")
                    else:
                        conn.sendall(b"D" + struct.pack("!I", len(data)) + data)
                else:
                    return  # not this protocol
        except (Vanished, OSError):
            return  # a client that vanished or reset ends its own connection, nothing more


with socket.create_server((HOST, PORT)) as server:
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()

# Reference solution for chat-server: one thread per connection, a shared member list under a lock.
import os
import socket
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

clients = {}  # conn -> name, only clients that have sent their name
lock = threading.Lock()


def broadcast(text, sender):
    data = text.encode("utf-8")
    with lock:  # sending under the lock: the bytes of two broadcasts never interleave on one connection
        for conn in clients:
            if conn is sender:
                continue
            try:
                conn.sendall(data)
            except OSError:
                pass  # that client is gone; its own thread will remove it


def lines_of(conn):
    """Yield each complete line (without the newline) as it arrives; stop when the client is gone."""
    buffer = b""
    while True:
        try:
            chunk = conn.recv(4096)
        except OSError:  # e.g. the connection was reset
            return
        if not chunk:
            return
        buffer += chunk
        # One recv() may hold part of a line, or several lines: split off every complete one.
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield line.decode("utf-8").rstrip("\r")


def handle(conn):
    lines = lines_of(conn)
    name = next(lines, None)  # the first line is the name
    if name is None:  # closed before saying who it is: it never joined, so nobody hears of it
        conn.close()
        return
    with lock:
        clients[conn] = name
    broadcast(f"* {name} joined\n", sender=conn)
    for text in lines:
        broadcast(f"{name}: {text}\n", sender=conn)
    with lock:
        del clients[conn]
    conn.close()
    broadcast(f"* {name} left\n", sender=conn)


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen()
while True:
    conn, addr = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()

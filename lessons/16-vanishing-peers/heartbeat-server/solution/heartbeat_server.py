# Reference solution for heartbeat-server.
import os
import socket
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
TIMEOUT = float(os.environ.get("SOCKETLINGS_TIMEOUT", "5"))  # silence that means a client is gone

names = {}  # connection -> name, in the order the clients said HELLO
lock = threading.Lock()


def answer(conn, line):
    word, _, rest = line.partition(" ")
    if word == "HELLO":
        with lock:
            names[conn] = rest
        return "hi " + rest
    if word == "PING":
        return "PONG"
    if word == "WHO":
        with lock:
            return " ".join(names.values())
    return "?"


def serve(conn):
    with conn:
        # Every recv() waits at most TIMEOUT: a client that sends nothing for that long is gone,
        # whether it crashed, lost its network, or its machine died without a word.
        conn.settimeout(TIMEOUT)
        buf = b""
        try:
            while True:
                data = conn.recv(4096)
                if not data:
                    return  # the client closed
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    reply = answer(conn, line.decode(errors="replace"))
                    conn.sendall(reply.encode() + b"\n")
        except OSError:
            return  # TimeoutError: its heartbeats stopped; a reset or a broken pipe: it is gone
        finally:
            with lock:
                names.pop(conn, None)  # before the close: WHO never lists a closed client


with socket.create_server((HOST, PORT)) as server:
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()

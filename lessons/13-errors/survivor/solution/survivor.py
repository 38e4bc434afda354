# Reference solution for survivor.
import os
import socket
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
IDLE = float(os.environ.get("SOCKETLINGS_IDLE", "4"))


def serve(conn):
    # Whatever the client does (reset, vanish, fall silent), only this connection ends.
    with conn:
        conn.settimeout(IDLE)  # every recv() and sendall() gives up after IDLE seconds
        buf = b""
        try:
            while True:
                data = conn.recv(4096)
                if not data:
                    return  # closed; a half line left in buf is not a line
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    conn.sendall(b"ok " + line + b"\n")
        except TimeoutError:
            return  # idle too long
        except OSError:
            return  # ConnectionResetError, BrokenPipeError: the client is gone


with socket.create_server((HOST, PORT)) as server:
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()

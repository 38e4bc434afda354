# Reference solution for line-protocol.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))


def answer(line):
    """The reply to one command line, without its newline."""
    command, _, rest = line.partition(" ")
    if line == "PING":
        return "PONG"
    if line == "QUIT":
        return "BYE"
    if command == "ECHO":
        return rest
    if command == "ADD":
        try:
            a, b = rest.split()
            return str(int(a) + int(b))
        except ValueError:  # not exactly two whole numbers
            return "ERROR"
    return "ERROR"


def serve(conn):
    """Answer one client's commands until it sends QUIT or closes."""
    buffer = b""
    while True:
        chunk = conn.recv(4096)
        if not chunk:  # the client closed its side
            return
        buffer += chunk
        # One recv() may hold half a line, or several lines: handle every complete
        # line, and keep the rest in the buffer until its b"\n" arrives.
        while b"\n" in buffer:
            raw, buffer = buffer.split(b"\n", 1)
            # Decode only complete lines: recv() may cut a UTF-8 character in two.
            line = raw.decode("utf-8")
            conn.sendall(answer(line).encode("utf-8") + b"\n")
            if line == "QUIT":
                return


with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen()
    while True:
        conn, addr = server.accept()
        with conn:  # closes the connection when serve() returns
            serve(conn)

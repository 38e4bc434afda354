# Reference solution for http-server.
import os
import socket
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found"}


class BadRequest(Exception):
    pass


def read_request(f):
    """One request from the connection's reader: (method, target, fields, body), or None at a clean end."""
    line = f.readline(65536)
    while line == b"\r\n":  # empty lines before a request are allowed
        line = f.readline(65536)
    if not line:
        return None
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest
    method, target, _ = parts
    fields = {}
    while (line := f.readline(65536)) not in (b"\r\n", b"\n", b""):
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon or not name or name != name.strip():
            raise BadRequest
        fields[name.lower()] = value.strip()
    if "host" not in fields:
        raise BadRequest  # HTTP/1.1 requires it
    length = fields.get("content-length", "0")
    if not (length.isascii() and length.isdigit()):
        raise BadRequest
    body = f.read(int(length))  # the body is bytes: never decode it
    if len(body) < int(length):
        return None  # the client left in the middle of its body
    return method, target, fields, body


def respond(conn, status, body, close=False):
    head = f"HTTP/1.1 {status} {REASONS[status]}\r\nContent-Type: application/octet-stream\r\n"
    head += f"Content-Length: {len(body)}\r\n"
    if close:
        head += "Connection: close\r\n"
    conn.sendall(head.encode() + b"\r\n" + body)  # one write: head and body together


def route(method, target, body):
    if method == "GET" and target.startswith("/echo/"):
        return 200, target[len("/echo/") :].encode()
    if method == "POST" and target == "/echo":
        return 200, body
    return 404, b"not found\n"


def serve(conn):
    with conn, conn.makefile("rb") as f:
        try:
            while True:
                try:
                    request = read_request(f)
                except BadRequest:
                    respond(conn, 400, b"bad request\n", close=True)
                    return
                if request is None:
                    return
                method, target, fields, body = request
                status, answer = route(method, target, body)
                close = "close" in fields.get("connection", "").lower()
                respond(conn, status, answer, close)
                if close:
                    return
        except OSError:
            return  # the client reset or vanished: this connection only


with socket.create_server((HOST, PORT)) as server:
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()

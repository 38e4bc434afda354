# Reference solution for http-client.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
PATHS = os.environ.get("SOCKETLINGS_PATHS", "/one /two /three").split()


def read_line(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise ConnectionError("the connection ended in the middle of a line")
    return line[:-2]


def read_exactly(f, n):
    data = f.read(n)  # a buffered reader's read(n) waits for all n bytes (or the end)
    if len(data) < n:
        raise ConnectionError("the connection ended in the middle of a body")
    return data


def read_response(f):
    status = read_line(f).decode("latin-1")
    fields = {}
    while line := read_line(f):  # the empty line ends the head
        name, _, value = line.decode("latin-1").partition(":")
        fields[name.strip().lower()] = value.strip()
    if fields.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while size := int(read_line(f).split(b";")[0], 16):  # ";..." is a chunk extension
            body += read_exactly(f, size)
            read_line(f)  # the CRLF after the chunk's bytes
        while read_line(f):  # trailer fields, up to the empty line
            pass
    elif "content-length" in fields:
        body = read_exactly(f, int(fields["content-length"]))
    else:
        body = f.read()  # neither: the body runs until the server closes
    return status, body


with socket.create_connection((HOST, PORT)) as sock, sock.makefile("rb") as f:
    for i, path in enumerate(PATHS):
        last = i == len(PATHS) - 1
        request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\n"
        if last:
            request += "Connection: close\r\n"
        sock.sendall((request + "\r\n").encode())
        status, body = read_response(f)
        print(body.decode())

# Reference solution for recv-all.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

with socket.create_connection((HOST, PORT)) as sock:
    data = b""
    while True:
        chunk = sock.recv(4096)  # whatever has arrived so far: 1 byte up to 4096
        if not chunk:  # b'': the server closed the connection, the message is complete
            break
        data += chunk

# Decode once, at the end: a piece may stop in the middle of a multi-byte character.
print(data.decode("utf-8"))

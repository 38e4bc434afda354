# Reference solution for json-messages.
import json
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
NAME = os.environ.get("SOCKETLINGS_NAME", "alice")
TAGS = os.environ.get("SOCKETLINGS_TAGS", "red green blue")

request = {"name": NAME, "tags": TAGS.split()}

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
    client.connect((HOST, PORT))
    # One JSON document per line: json.dumps() never emits a newline, so "\n" marks the end of the message.
    client.sendall(json.dumps(request).encode("utf-8") + b"\n")

    # TCP is a byte stream: the reply may come in several pieces. Collect them until the newline.
    # (The server keeps the connection open after replying, so waiting for b'' would wait for ever.)
    buffer = b""
    while b"\n" not in buffer:
        chunk = client.recv(1024)
        if not chunk:
            raise ConnectionError("the server closed the connection before a whole line arrived")
        buffer += chunk
    line, _, _ = buffer.partition(b"\n")
    reply = json.loads(line)
    print(reply["id"])

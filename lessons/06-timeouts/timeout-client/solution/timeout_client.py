# Reference solution for timeout-client.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
TIMEOUT = float(os.environ.get("SOCKETLINGS_TIMEOUT", "1.0"))  # seconds

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# From now on every blocking call on this socket (connect, recv, ...) waits at most TIMEOUT seconds.
client.settimeout(TIMEOUT)
try:
    client.connect((HOST, PORT))
    # The server greets first. Read the whole line: recv() may return it in pieces.
    greeting = b""
    while not greeting.endswith(b"\n"):
        piece = client.recv(1024)
        if not piece:
            break  # the server closed before greeting
        greeting += piece
    client.sendall(b"PING\n")
    reply = client.recv(1024)
    print("reply:", reply)
except TimeoutError:  # socket.timeout is the same class since Python 3.10
    print("timed out")
finally:
    client.close()

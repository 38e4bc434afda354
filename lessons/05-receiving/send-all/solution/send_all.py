# Reference solution for send-all.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
FILE = os.environ.get("SOCKETLINGS_FILE", "payload.bin")

with open(FILE, "rb") as f:  # "rb": the file is binary, not text
    data = f.read()

with socket.create_connection((HOST, PORT)) as sock:
    sock.sendall(data)

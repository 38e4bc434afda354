# Reference solution for upload-drain.
import os
import socket
import sys

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
FILE = os.environ.get("SOCKETLINGS_FILE", "upload.bin")

with open(FILE, "rb") as f:
    data = f.read()

with socket.create_connection((HOST, PORT)) as sock:
    sock.sendall(data)
    sock.shutdown(socket.SHUT_WR)  # FIN: "that was all", and we can still read
    answer = bytearray()
    while chunk := sock.recv(4096):  # drain until the server's own FIN
        answer += chunk

sys.stdout.write(answer.decode())

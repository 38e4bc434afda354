# Reference solution for first-contact.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect((HOST, PORT))
data = b""
# One recv() returns whatever has arrived so far, maybe only a few bytes of the line.
while b"\n" not in data:
    chunk = client.recv(1024)
    if not chunk:  # b'' means the server closed the connection: nothing more will come
        break
    data += chunk
client.close()

# Decode the whole line at once, and leave out the "\n" (print adds its own).
line = data.split(b"\n", 1)[0]
print(line.decode("utf-8"))

# Reference solution for non-blocking.
import os
import socket
import time

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect((HOST, PORT))  # connect while still blocking: it simply waits for the connection
client.setblocking(False)  # from now on recv() never waits

data = b""
said_so = False
while not data.endswith(b"\n"):
    try:
        chunk = client.recv(1024)
    except BlockingIOError:
        # Nothing has arrived yet. That is not an error: do something else, then try again.
        if not said_so:
            print("no data yet")
            said_so = True
        time.sleep(0.05)  # without a pause this loop would keep a CPU core busy for nothing
        continue
    if not chunk:  # b'' still means the server closed the connection
        break
    data += chunk

print(data.decode("utf-8").rstrip("\n"))
client.close()

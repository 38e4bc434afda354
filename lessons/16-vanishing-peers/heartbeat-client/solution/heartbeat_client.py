# Reference solution for heartbeat-client.
import os
import select
import socket
import time

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
INTERVAL = float(os.environ.get("SOCKETLINGS_INTERVAL", "0.5"))  # seconds between heartbeats
TIMEOUT = float(os.environ.get("SOCKETLINGS_TIMEOUT", "2"))  # silence that means the server is gone

with socket.create_connection((HOST, PORT)) as sock:
    last_heard = time.monotonic()
    next_ping = last_heard
    while True:
        now = time.monotonic()
        if now - last_heard >= TIMEOUT:
            print("server gone")
            break
        if now >= next_ping:
            sock.sendall(b"PING\n")
            next_ping = now + INTERVAL
        # Sleep until whichever comes first: the next heartbeat, or the end of the server's allowed silence.
        wait = min(next_ping, last_heard + TIMEOUT) - now
        readable, _, _ = select.select([sock], [], [], max(wait, 0))
        if readable:
            if not sock.recv(4096):
                print("server closed the connection")
                break
            last_heard = time.monotonic()  # any answer counts as a sign of life

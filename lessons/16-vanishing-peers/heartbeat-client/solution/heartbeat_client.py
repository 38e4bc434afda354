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
        if now >= next_ping:
            sock.sendall(b"PING\n")
            next_ping = now + INTERVAL
        # Sleep until whichever comes first: the next heartbeat, or the end of the server's allowed silence.
        give_up = last_heard + TIMEOUT
        wake = min(next_ping, give_up)
        readable, _, _ = select.select([sock], [], [], max(wake - now, 0))
        if readable:
            if not sock.recv(4096):
                print("server closed the connection")
                break
            last_heard = time.monotonic()  # any answer is a sign of life
        elif wake == give_up:
            # Decided only after a wait to the end of the silence found nothing: had this process been held up
            # (a busy machine), an answer that came meanwhile would be read above, not taken for silence.
            print("server gone")
            break

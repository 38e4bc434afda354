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
    last_heard = asked = next_ping = time.monotonic()
    try:
        while True:
            now = time.monotonic()
            if now >= next_ping:
                sock.sendall(b"PING\n")
                asked, next_ping = now, now + INTERVAL
            # Sleep until whichever comes first: the next heartbeat, or the end of the server's allowed silence.
            give_up = last_heard + TIMEOUT
            if asked >= give_up:
                # This process was held up past the end of the silence (a busy machine), and asked nothing
                # meanwhile: the PING it just sent gets half an interval to be answered.
                give_up = asked + INTERVAL / 2
            wake = min(next_ping, give_up)
            readable, _, _ = select.select([sock], [], [], max(wake - now, 0))
            if readable:
                if not sock.recv(4096):
                    print("server closed the connection")
                    break
                last_heard = time.monotonic()  # any answer is a sign of life
            elif wake == give_up:
                # Decided only after a wait to the end of the silence found nothing: an answer that came while this
                # process was held up is read above, not taken for silence.
                print("server gone")
                break
    except ConnectionError:  # a reset, or a broken pipe: the server closed too, abruptly
        print("server closed the connection")

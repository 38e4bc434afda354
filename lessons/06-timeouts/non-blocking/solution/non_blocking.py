# Reference solution for non-blocking.
import os
import socket
import time

SERVERS = {
    "A": (os.environ.get("SOCKETLINGS_HOST", "localhost"), int(os.environ.get("SOCKETLINGS_PORT", "8079"))),
    "B": (
        os.environ.get("SOCKETLINGS_OTHER_HOST", "localhost"),
        int(os.environ.get("SOCKETLINGS_OTHER_PORT", "8080")),
    ),
}

socks = {}
for letter, address in SERVERS.items():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(address)  # connect while still blocking: it simply waits for the connection
    sock.setblocking(False)  # from now on recv() never waits
    socks[letter] = sock

data = {letter: b"" for letter in socks}
waiting = set(socks)  # the servers whose line is not complete yet
said_so = False
while waiting:
    got_something = False
    for letter in sorted(waiting):
        try:
            chunk = socks[letter].recv(1024)
        except BlockingIOError:
            # Nothing has arrived on this socket yet. That is not an error: try the other one.
            continue
        got_something = True
        if not chunk:  # b'' still means the server closed the connection
            waiting.discard(letter)
            continue
        data[letter] += chunk
        if data[letter].endswith(b"\n"):
            line = data[letter].decode("utf-8").rstrip("\n")
            print(f"{letter}: {line}")
            waiting.discard(letter)
    if not got_something:
        if not said_so:
            print("no data yet")
            said_so = True
        time.sleep(0.05)  # without a pause this loop would keep a CPU core busy for nothing

for sock in socks.values():
    sock.close()

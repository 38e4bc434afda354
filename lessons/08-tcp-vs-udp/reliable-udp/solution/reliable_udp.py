# Reference solution for reliable-udp: stop and wait.
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
COUNT = int(os.environ.get("SOCKETLINGS_COUNT", "5"))
PAYLOAD = os.environ.get("SOCKETLINGS_PAYLOAD", "hello")

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# On loopback an answer takes well under a millisecond, so 0.05 s of silence means "lost".
sock.settimeout(0.05)

for n in range(1, COUNT + 1):
    packet = f"SEQ {n} {PAYLOAD}".encode("utf-8")
    expected_ack = f"ACK {n}".encode("utf-8")
    sock.sendto(packet, (HOST, PORT))
    while True:
        try:
            reply, _ = sock.recvfrom(65535)
        except TimeoutError:  # socket.timeout before Python 3.10
            sock.sendto(packet, (HOST, PORT))  # nothing came back: send it again
            continue
        if reply == expected_ack:
            break
        # Any other datagram is a duplicate of an earlier ACK: ignore it and keep waiting.
    print(f"delivered {n}")

sock.close()

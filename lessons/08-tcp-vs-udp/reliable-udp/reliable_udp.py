# Exercise reliable-udp: deliver COUNT numbered messages over a link that loses and duplicates datagrams.
# Run it: socketlings verify reliable-udp
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
COUNT = int(os.environ.get("SOCKETLINGS_COUNT", "5"))
PAYLOAD = os.environ.get("SOCKETLINGS_PAYLOAD", "hello")

# TODO: create a UDP socket and give it a timeout with settimeout(0.05).
#       For n = 1 .. COUNT, one message at a time ("stop and wait"):
#         send the datagram b"SEQ <n> <PAYLOAD>" to (HOST, PORT);
#         wait for the datagram b"ACK <n>"; ignore any other ACK (an old or duplicated one);
#         if the timeout expires first, send the same datagram again and keep waiting.
#       When ACK <n> arrives, print "delivered <n>" (once per message), then go on to n + 1.

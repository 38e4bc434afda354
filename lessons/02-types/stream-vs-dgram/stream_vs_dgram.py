# Exercise stream-vs-dgram: send one message over TCP, then as one UDP datagram.
# Run it: socketlings verify stream-vs-dgram
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
UDP_HOST = os.environ.get("SOCKETLINGS_UDP_HOST", "localhost")
UDP_PORT = int(os.environ.get("SOCKETLINGS_UDP_PORT", "8080"))
MESSAGE = os.environ.get("SOCKETLINGS_MESSAGE", "haha")

# TODO 1: TCP. Create a SOCK_STREAM socket, connect it to (HOST, PORT),
#         send MESSAGE encoded as bytes, and close the socket.

# TODO 2: UDP. Create a SOCK_DGRAM socket and send the same bytes as one datagram
#         with sendto() to (UDP_HOST, UDP_PORT). Then close that socket too.

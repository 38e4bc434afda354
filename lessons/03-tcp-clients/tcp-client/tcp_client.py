# Exercise tcp-client: send a message over TCP, then close.
# Run it: socketlings verify tcp-client
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
MESSAGE = os.environ.get("SOCKETLINGS_MESSAGE", "haha")

# TODO: create a TCP socket (AF_INET, SOCK_STREAM), connect it to (HOST, PORT),
#       send MESSAGE encoded as UTF-8 bytes, and close the socket.

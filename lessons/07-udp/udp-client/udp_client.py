# Exercise udp-client: send one message as one UDP datagram.
# Run it: socketlings verify udp-client
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
MESSAGE = os.environ.get("SOCKETLINGS_MESSAGE", "haha")

# TODO: create a UDP socket (AF_INET, SOCK_DGRAM) and send MESSAGE, encoded as UTF-8,
#       as one datagram to (HOST, PORT) with sendto(). Then close the socket.

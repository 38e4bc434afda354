# Exercise udp-server: print every datagram, whole.
# Run it: socketlings verify udp-server
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: create a UDP socket (SOCK_DGRAM) and bind it to (HOST, PORT).
#       In a loop, receive each datagram with recvfrom() and print its text on one line.
#       Make the buffer big enough that no datagram is cut short.

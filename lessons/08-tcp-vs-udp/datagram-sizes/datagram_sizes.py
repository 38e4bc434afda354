# Exercise datagram-sizes: report the exact size of every datagram that arrives.
# Run it: socketlings verify datagram-sizes
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: create a UDP socket (SOCK_DGRAM) and bind it to (HOST, PORT).
#       In a loop, receive each datagram with recvfrom() and print its size in bytes,
#       one number per line and nothing else. Datagrams can be up to 8192 bytes long,
#       and a datagram of 0 bytes is a datagram too.

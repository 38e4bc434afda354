# Exercise udp-echo: send every datagram back to whoever sent it.
# Run it: socketlings verify udp-echo
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: create a UDP socket (SOCK_DGRAM) and bind it to (HOST, PORT).
#       In a loop: receive one datagram with recvfrom() (with a buffer big enough for any datagram),
#       and send the same bytes back with sendto() to the address recvfrom() returned with it.

# Exercise either-family: reach a server by name, whichever of ::1 and 127.0.0.1 it listens on.
# Run it: socketlings verify either-family
import os
import socket

# A host name, or '' when no name here resolves to both loopback addresses: then None, which getaddrinfo()
# turns into the loopback address of every family.
HOST = os.environ.get("SOCKETLINGS_HOST", "") or None
PORTS = [
    int(os.environ.get("SOCKETLINGS_PORT", "8079")),
    int(os.environ.get("SOCKETLINGS_SECOND_PORT", "8080")),
]

# TODO: for each port in PORTS, in order:
#       - connect to (HOST, port), trying every address socket.getaddrinfo() gives until one answers
#         (socket.create_connection() does exactly that);
#       - print("reached", <the address that answered>)   # sock.getpeername()[0]
#       - read the line "TOKEN <hex>\n" (it may arrive in pieces), send back "ECHO <hex>\n", and close.

# Exercise ipv6-server: an echo server on the IPv6 loopback address.
# Run it: socketlings verify ipv6-server
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "::1")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: create an IPv6 TCP socket (AF_INET6, SOCK_STREAM), bind it to (HOST, PORT) and listen.
#       For each client you accept: send back every byte it sends, until recv() returns b'';
#       then close that connection and accept the next client.
#       Note: accept() returns an IPv6 address as a 4-tuple (host, port, flowinfo, scope_id).

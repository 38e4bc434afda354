# Exercise dual-stack: one server, one port, for IPv6 and IPv4 clients alike.
# Run it: socketlings verify dual-stack
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "")  # '' means every address
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: listen on PORT so that clients reach you over IPv6 (::1) and over IPv4 (127.0.0.1);
#       socket.create_server(..., family=socket.AF_INET6, dualstack_ipv6=True) is one way.
#       For each client, one after another: read one line (it may arrive in pieces), answer
#           "<line> <ipv4|ipv6> <client address> <client port>\n"
#       and close the connection. An IPv4 client must be reported as ipv4 127.0.0.1, even when your
#       IPv6 socket shows it as ::ffff:127.0.0.1.

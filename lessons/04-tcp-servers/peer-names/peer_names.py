# Exercise peer-names: accept one connection and print the addresses at both of its ends.
# Run it: socketlings verify peer-names
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: listen on (HOST, PORT) and accept one connection, conn.
#       Print conn.getpeername() as:   peer IP PORT   (for example: peer 127.0.0.1 42152)
#       then conn.getsockname() as:    sock IP PORT   (for example: sock 127.0.0.1 8079)
#       Then close the connection.

# Exercise connect-ex: try an open port and a closed port with connect_ex(), print both results.
# Run it: socketlings verify connect-ex
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
CLOSED_HOST = os.environ.get("SOCKETLINGS_CLOSED_HOST", "localhost")
CLOSED_PORT = int(os.environ.get("SOCKETLINGS_CLOSED_PORT", "8080"))

# TODO: call connect_ex() on a new TCP socket for (HOST, PORT), where a server listens,
#       and print the number it returns. Then do the same with another new socket for
#       (CLOSED_HOST, CLOSED_PORT), where nothing listens. Close both sockets.

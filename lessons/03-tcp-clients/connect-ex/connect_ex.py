# Exercise connect-ex: try two ports with connect_ex(), print both results.
# Run it: socketlings verify connect-ex
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
OTHER_HOST = os.environ.get("SOCKETLINGS_OTHER_HOST", "localhost")
OTHER_PORT = int(os.environ.get("SOCKETLINGS_OTHER_PORT", "8080"))

# TODO: call connect_ex() on a new TCP socket for (HOST, PORT) and print the number it
#       returns. Then do the same with another new socket for (OTHER_HOST, OTHER_PORT).
#       One of the two ports has a server and the other has nothing; you do not know which.
#       Close both sockets.

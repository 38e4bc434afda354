# Exercise unix-echo: an echo server on an AF_UNIX path, which removes its socket file when it stops.
# Run it: socketlings verify unix-echo
import os
import signal
import socket
import sys

PATH = os.environ.get("SOCKETLINGS_PATH", "socketlings.sock")

# TODO: remove a socket file left at PATH by an earlier run (if there is one).
#       Create an AF_UNIX stream socket, bind it to PATH and listen. For each client you accept:
#       send back every byte it sends until recv() returns b'', then close it and accept the next.
#       When the server is stopped with SIGTERM (or Ctrl+C), close it and delete the file at PATH.
#       Hint: by default SIGTERM ends Python at once, without running `finally`; see lesson 9.

# Exercise send-all: send a 4 MiB file to the server completely, then close.
# Run it: socketlings verify send-all
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
FILE = os.environ.get("SOCKETLINGS_FILE", "payload.bin")

# TODO: read the whole file FILE as bytes (binary mode, "rb"),
#       connect a TCP socket to (HOST, PORT), send every byte of it, and close the socket.

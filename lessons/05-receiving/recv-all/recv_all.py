# Exercise recv-all: receive a message of unknown length until the server closes, then print it.
# Run it: socketlings verify recv-all
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: connect a TCP socket to (HOST, PORT). The server sends one message in many small
#       pieces and then closes the connection. Call recv() in a loop and collect every piece
#       until recv() returns b''. Then decode the whole message as UTF-8 and print it.

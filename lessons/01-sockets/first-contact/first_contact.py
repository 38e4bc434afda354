# Exercise first-contact: connect to a server and print the greeting line it sends.
# Run it: socketlings verify first-contact
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: create a TCP socket (AF_INET, SOCK_STREAM) and connect it to (HOST, PORT).
#       The server sends one line ending in "\n", a few bytes at a time: call recv()
#       until the data you collected contains b"\n".
#       Print the line's text (decoded, without the "\n"), then close the socket.

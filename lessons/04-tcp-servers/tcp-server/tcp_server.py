# Exercise tcp-server: accept a connection and print what arrives.
# Run it: socketlings verify tcp-server
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: create a TCP socket, bind it to (HOST, PORT) and listen.
#       Accept a connection, receive what the client sends, decode it and print it.

# Exercise echo-server: send back everything each client sends, one client after another.
# Run it: socketlings verify echo-server
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: listen on (HOST, PORT). For each client you accept:
#       receive data and send every byte back, until recv() returns b'' (the client is done);
#       then close that connection and accept the next client.

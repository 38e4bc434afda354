# Exercise heartbeat-client: notice a server that stops answering without closing.
# Run it: socketlings verify heartbeat-client
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
INTERVAL = float(os.environ.get("SOCKETLINGS_INTERVAL", "0.5"))  # seconds between heartbeats
TIMEOUT = float(os.environ.get("SOCKETLINGS_TIMEOUT", "2"))  # silence that means the server is gone

# TODO: connect to (HOST, PORT), send b"PING\n" at once and then every INTERVAL seconds.
#       Every byte the server sends (it answers b"PONG\n") is a sign of life.
#       When the server has sent nothing for TIMEOUT seconds, print("server gone"),
#       close the socket and end normally. The server never closes the connection:
#       recv() returning b'' will not tell you.

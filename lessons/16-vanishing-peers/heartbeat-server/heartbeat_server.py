# Exercise heartbeat-server: drop the clients whose heartbeats stop, keep serving the others.
# Run it: socketlings verify heartbeat-server
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
TIMEOUT = float(os.environ.get("SOCKETLINGS_TIMEOUT", "5"))  # silence that means a client is gone

# TODO: listen on (HOST, PORT) and serve every client at the same time (threads, selectors or asyncio).
#       Each line a client sends gets one line back:
#         HELLO <name>  ->  hi <name>     (the client joins under that name)
#         PING          ->  PONG          (a heartbeat)
#         WHO           ->  the names of the clients connected now, in the order they said HELLO,
#                           separated by spaces
#       A client that sends nothing for TIMEOUT seconds is gone: close its connection and
#       forget its name. So is a client that closes or resets.

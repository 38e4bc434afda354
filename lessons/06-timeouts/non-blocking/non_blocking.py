# Exercise non-blocking: read from a non-blocking socket, whose recv() never waits.
# Run it: socketlings verify non-blocking
import os
import socket
import time

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: connect a TCP socket to (HOST, PORT), then make it non-blocking with setblocking(False).
#       Call recv() at once: the server has sent nothing yet, so recv() raises BlockingIOError.
#       Catch it and print exactly
#           no data yet
#       (once). Then keep trying (with a short time.sleep() between tries) until a whole line,
#       ending in b"\n", has arrived. Print that line without its newline, close the socket, and end.

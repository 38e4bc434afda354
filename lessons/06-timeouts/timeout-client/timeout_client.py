# Exercise timeout-client: ask a server that never answers, and give up after a timeout.
# Run it: socketlings verify timeout-client
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
TIMEOUT = float(os.environ.get("SOCKETLINGS_TIMEOUT", "1.0"))  # seconds

# TODO: create a TCP socket and give it a timeout of TIMEOUT seconds with settimeout().
#       Connect to (HOST, PORT) and read the server's greeting line, b"READY\n".
#       Then send b"PING\n", and wait for the reply with recv().
#       The server never answers: when recv() raises TimeoutError, print exactly
#           timed out
#       then close the socket and let the program end normally (exit code 0).

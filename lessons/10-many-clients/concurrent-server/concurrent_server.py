# Exercise concurrent-server: an echo server that serves many clients at the same time.
# Run it: socketlings verify concurrent-server
import os
import socket
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: listen on (HOST, PORT) and serve every client at once, not one after another:
#       either start a thread per accepted connection (threading.Thread), or watch every socket with selectors.
#       Each client is an echo: send back every byte it sends until recv() returns b'', then close it.

# Exercise survivor: a server that keeps going whatever its clients do.
# Run it: socketlings verify survivor
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
IDLE = float(os.environ.get("SOCKETLINGS_IDLE", "4"))  # seconds

# TODO: listen on (HOST, PORT) and serve every client at the same time (threads, selectors or asyncio).
#       For each line a client sends, answer "ok <line>\n".
#       - A client may reset the connection (ConnectionResetError), also while you write to it, or be gone
#         when you answer (BrokenPipeError): end that connection only, never the server.
#       - A client may stop in the middle of a line (recv() returns b''): close the connection, answer nothing.
#       - A client that sends nothing for IDLE seconds: close its connection. (Only its connection: the server
#         keeps accepting, however long no client comes.)

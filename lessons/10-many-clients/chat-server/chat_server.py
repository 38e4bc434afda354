# Exercise chat-server: a line-based chat room (the protocol is in lesson 10).
# Run it: socketlings verify chat-server
import os
import socket
import threading

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

clients = {}  # conn -> name, only clients that have sent their name
lock = threading.Lock()

# TODO: listen on (HOST, PORT) and serve every client at once (a thread per connection, or selectors).
#       Every line is UTF-8 text ending in "\n"; data may arrive a byte at a time, so buffer up to each "\n".
#       - The first line from a client is its NAME: add it to `clients`, then send "* NAME joined\n"
#         to every other client that has joined.
#       - Every later line TEXT: send "NAME: TEXT\n" to every other joined client, never back to the sender.
#       - When the client closes (recv() returns b'' or fails): remove it, close it, and send "* NAME left\n"
#         to every other joined client.

# Exercise event-echo: an echo server in one thread, with selectors, that never waits on a slow client.
# Run it: socketlings verify event-echo
import os
import selectors
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: listen on (HOST, PORT) with a non-blocking socket and a selectors.DefaultSelector().
#       Send back every byte each client sends, without ever blocking:
#       - on EVENT_READ: recv() and add the bytes to that client's outgoing buffer;
#       - while a buffer is not empty, also wait for EVENT_WRITE, and then send() what the kernel takes;
#       - a client that reads nothing must not stop you serving the others;
#       - when a client has closed its sending side and all its bytes are sent back, close its connection.

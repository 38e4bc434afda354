# Exercise non-blocking: read from two non-blocking sockets at once; recv() on them never waits.
# Run it: socketlings verify non-blocking
import os
import socket
import time

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
OTHER_HOST = os.environ.get("SOCKETLINGS_OTHER_HOST", "localhost")
OTHER_PORT = int(os.environ.get("SOCKETLINGS_OTHER_PORT", "8080"))

# TODO: connect one TCP socket to (HOST, PORT), server A, and another to (OTHER_HOST, OTHER_PORT), server B.
#       Make both non-blocking with setblocking(False).
#       Call recv() on each at once: neither server has sent anything yet, so recv() raises BlockingIOError.
#       Catch it and print exactly
#           no data yet
#       (once). Then keep trying both sockets in turn (with a short time.sleep() when neither had anything).
#       As soon as a whole line, ending in b"\n", has arrived from one server, print it without its newline,
#       after the server's letter:
#           A: <line from A>
#           B: <line from B>
#       You do not know which server speaks first, and the other one waits until you have printed the first
#       line. When both lines are printed, close both sockets and end.

# Reference solution for unix-echo.
import os
import signal
import socket
import sys

PATH = os.environ.get("SOCKETLINGS_PATH", "socketlings.sock")

# By default SIGTERM ends the process at once and `finally` never runs. Turn it into SystemExit instead,
# so the cleanup below runs whether the server is stopped with SIGTERM or with Ctrl+C (KeyboardInterrupt).
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))

# A file left at PATH by a server that crashed would make bind() fail with "Address already in use".
try:
    os.unlink(PATH)
except FileNotFoundError:
    pass

server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(PATH)  # creates the socket file
try:
    server.listen()
    while True:
        conn, _ = server.accept()  # an unnamed client's address is '' (it has no path)
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                conn.sendall(data)
finally:
    server.close()
    os.unlink(PATH)  # closing the socket does not remove its file

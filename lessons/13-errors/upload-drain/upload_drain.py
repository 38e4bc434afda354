# Exercise upload-drain: upload a file, say you are done, then read the answer to its end.
# Run it: socketlings verify upload-drain
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
FILE = os.environ.get("SOCKETLINGS_FILE", "upload.bin")

# TODO: connect to (HOST, PORT) and send every byte of FILE (read it in binary mode).
#       Then tell the server you are done sending, while you can still read: sock.shutdown(socket.SHUT_WR).
#       Read the server's answer until it closes the connection (recv() returns b''), print it
#       (it is UTF-8 text, several lines), and exit.

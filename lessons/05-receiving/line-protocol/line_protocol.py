# Exercise line-protocol: a TCP server that answers newline-delimited commands.
# Run it: socketlings verify line-protocol
import os
import socket

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))

# TODO: listen on (HOST, PORT) and serve one client after another, for ever.
#       Every command is one line ending in b"\n"; answer each with one line ending in b"\n":
#         PING           ->  PONG
#         ECHO <text>    ->  <text>          (everything after "ECHO ", unchanged)
#         ADD <a> <b>    ->  the sum a + b   (whole numbers, possibly negative)
#         QUIT           ->  BYE, then close this client's connection
#         anything else  ->  ERROR
#       Commands may arrive a few bytes at a time, or several in one recv():
#       keep the bytes in a buffer and handle each line once its b"\n" is there.
#       Decode a line only when it is complete (UTF-8).
#       When recv() returns b"" the client has closed: close the connection and accept the next client.

# Exercise sum-client: a client of a small binary protocol.
# Run it: socketlings verify sum-client
import os
import socket
import struct

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
# Groups of numbers separated by ';', e.g. "3 -7 100;5 6": one request per group.
GROUPS = [[int(n) for n in g.split()] for g in os.environ.get("SOCKETLINGS_NUMBERS", "3 -7 100;5 6").split(";")]

# TODO: connect to (HOST, PORT). For each group, on the same connection:
#       - send the request: struct.pack("!2sBH", b"SL", 1, len(group)), then each number as "!i";
#       - read the answer: a 7-byte header "!2sBI" (magic b"SL", status, body length), then the body;
#         it may arrive one byte at a time;
#       - status 0: the body is the sum as "!q": print(f"sum {value}");
#         any other status: the body is a UTF-8 message: print(f"error {message}").
#       Then close the connection.

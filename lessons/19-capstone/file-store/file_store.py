# Exercise file-store (capstone): a file server with a length-prefixed binary protocol.
# Run it: socketlings verify file-store
import os
import socket
import struct

HOST = os.environ.get("SOCKETLINGS_HOST", "localhost")
PORT = int(os.environ.get("SOCKETLINGS_PORT", "8079"))
MAX_SIZE = int(os.environ.get("SOCKETLINGS_MAX_SIZE", "1048576"))

# TODO: listen on (HOST, PORT) and serve every client at the same time. Each connection carries
#       requests one after another (all numbers big-endian, as struct's "!" gives them):
#         PUT  b"P" + !H name length + name + !I data length + data   ->  b"K" + !I data length
#         GET  b"G" + !H name length + name   ->  b"D" + !I length + data
#                                              or b"E" + !H length + b"no such file"
#       An upload whose data length is over MAX_SIZE: answer b"E" + !H length + b"too large"
#       and close, without reading its data. A client that closes or resets in the middle of a
#       message stored nothing: forget what it sent, keep the old file, close its connection.
